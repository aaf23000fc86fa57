// The search page (docs/search.md): asks the Pagefind index the build made, lists the
// results with their best snippet, and tells screen readers how many were found.
const form = document.getElementById("search--form");
const query = document.getElementById("search--query");
const area = document.getElementById("search--area");
const tag = document.getElementById("search--tag");
const status = document.getElementById("search--status");
const list = document.getElementById("search--results");
const shown = 20;
let pagefind = null;

async function load() {
  if (!pagefind) {
    pagefind = await import(form.dataset.bundle + "pagefind.js");
    await pagefind.options({ baseUrl: form.dataset.base });
    await pagefind.init();
  }
  return pagefind;
}

// Pagefind's excerpts mark the words found with <mark>; everything else is kept as text.
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const paragraph = document.createElement("p");
  paragraph.className = "search-excerpt";
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(document.createTextNode(node.textContent));
    }
  }
  return paragraph;
}

// The part of a page where the words are: the sub-result (a heading's anchor) with most hits.
function bestPart(data) {
  const parts = (data.sub_results || []).filter((part) => part.url !== data.url);
  let best = null;
  for (const part of parts) {
    if (!best || (part.locations || []).length > (best.locations || []).length) best = part;
  }
  return best;
}

function item(data) {
  const part = bestPart(data);
  const entry = document.createElement("li");
  entry.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = part ? part.url : data.url;
  link.textContent = part && part.title !== data.meta.title ? `${data.meta.title}: ${part.title}` : data.meta.title;
  heading.append(link);
  entry.append(heading, excerpt(part ? part.excerpt : data.excerpt));
  return entry;
}

async function search() {
  const words = query.value.trim();
  const filters = {};
  if (area && area.value) filters.area = area.value;
  if (tag && tag.value) filters.tag = tag.value;
  const address = new URL(window.location.href);
  address.search = new URLSearchParams(Object.assign({ q: words }, filters)).toString();
  window.history.replaceState(null, "", address);
  list.replaceChildren();
  if (!words) {
    status.textContent = "Type the words to find.";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    found = await (await load()).search(words, { filters });
  } catch (error) {
    status.textContent = "Search is not available just now. The archive and the tags list every post.";
    return;
  }
  const results = await Promise.all(found.results.slice(0, shown).map((result) => result.data()));
  list.replaceChildren(...results.map(item));
  const count = found.results.length;
  const more = count > shown ? ` (the first ${shown} are shown)` : "";
  status.textContent = count === 0 ? `Nothing found for “${words}”.`
    : `${count} ${count === 1 ? "result" : "results"} for “${words}”${more}.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search();
});
const asked = new URLSearchParams(window.location.search);
query.value = asked.get("q") || "";
if (area) area.value = asked.get("area") || "";
if (tag) tag.value = asked.get("tag") || "";
if (query.value) search();
