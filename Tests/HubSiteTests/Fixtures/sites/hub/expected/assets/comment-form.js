// The comment form (docs/comments.md) asks the comment service for a signed form token as soon
// as the reader starts on it, so that the service can tell how long the form took to fill.
// Without this script the service hands out the token itself and asks the reader to send the
// form again.
const form = document.getElementById("comment-form");
if (form && form.dataset.tokenUrl) {
  const post = form.elements.post.value;
  const fetchToken = () => {
    form.removeEventListener("focusin", fetchToken);
    fetch(`${form.dataset.tokenUrl}?post=${encodeURIComponent(post)}`, { credentials: "omit" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((token) => { form.elements.token.value = token.trim(); })
      .catch(() => {});
  };
  form.addEventListener("focusin", fetchToken);
}
