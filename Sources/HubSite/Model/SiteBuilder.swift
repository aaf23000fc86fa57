/// The model stage: parsed documents + settings -> one `Site`. Works out slugs, URLs, tags,
/// areas, the schedule and collisions; renders every published body once.
public struct SiteBuilder: Sendable {
    public var includeDrafts: Bool
    /// Publish posts scheduled for later too (the preview server), each with a banner.
    public var includeScheduled = false
    /// The build's idea of the present, in seconds since 1970 (`--now`, or the clock).
    public var now: Int64
    /// Ids the theme uses on its own, which headings must not take.
    public var reservedIDs: Set<String>
    /// Bodies the last build rendered, by `bodyKey`; nil renders every body.
    var bodyMemo: [UInt64: RenderedBody] = [:]
    /// Where the texts of sources the build cache kept are read back from.
    var storedTexts: TextStore.Reader = .empty

    public init(includeDrafts: Bool = false, now: Int64, reservedIDs: Set<String> = []) {
        self.includeDrafts = includeDrafts
        self.now = now
        self.reservedIDs = reservedIDs
    }

    static let maximumTagsPerPost = 200

    /// Slugs a page may not take because generated pages live there.
    static let reservedPageSlugs: Set<String> = ["tags", "areas", "archive", "page", "assets", "feed", "sitemap", "404",
                                                    "search", "pagefind"]

    /// The steps below, in order; each reports into `diagnostics`, so one run finds every problem.
    public func build(_ content: ParsedContent) -> (site: Site?, diagnostics: [Diagnostic]) {
        let built = buildRecordingBodies(content)
        return (built.site, built.diagnostics)
    }

    /// `build`, also handing back every body with its `bodyKey`, for the next build's memo.
    func buildRecordingBodies(_ content: ParsedContent) -> (site: Site?, diagnostics: [Diagnostic], bodies: [BodyMemo.Entry]) {
        var diagnostics = content.diagnostics
        // Without usable settings there is no site, but the content is still checked in full.
        let settings = content.settings ?? .placeholder
        let base = settings.baseURL

        // Areas first: posts refer to them.
        let areaDocuments = areaProfiles(content.areas, diagnostics: &diagnostics)
        let areaSlugs = areaDocuments.keys.sorted()
        // Content files that exist but are not published, and why: links to them say so.
        var unpublished: [String: String] = [:]
        let posts = postCandidates(content.posts, areaSlugs: areaSlugs, areaDocuments: areaDocuments,
                                   diagnostics: &diagnostics, unpublished: &unpublished)
        let commentsByPost = shownComments(content, slugOwners: posts.slugOwners, diagnostics: &diagnostics)
        let pages = pageCandidates(content.pages, diagnostics: &diagnostics, unpublished: &unpublished)
        let snippetDocuments = publishedSnippets(content.snippets, areaDocuments: areaDocuments,
                                                 diagnostics: &diagnostics, unpublished: &unpublished)
        let contentURLs = Self.contentURLs(posts: posts.published, pages: pages, snippets: snippetDocuments,
                                           areas: areaDocuments, base: base)

        var sharedContext = BodyContext(basePath: base.path, contentURLs: contentURLs,
                                        allowRawHTML: settings.rawHTML, reservedIDs: reservedIDs)
        sharedContext.unpublishedContent = unpublished
        var bodies = renderBodies(bodyJobs(posts: posts, comments: commentsByPost, pages: pages, areaSlugs: areaSlugs,
                                           areas: areaDocuments, snippets: snippetDocuments, settings: settings),
                                  context: sharedContext, diagnostics: &diagnostics)

        var sitePosts = makePosts(posts.published, comments: commentsByPost, bodies: &bodies, base: base,
                                  diagnostics: &diagnostics)
        let tags = makeTags(sitePosts)
        Self.useTagNames(of: tags, in: &sitePosts)
        let areas = makeAreas(areaSlugs, documents: areaDocuments, snippets: snippetDocuments, posts: sitePosts, bodies: bodies)
        let sitePages = pages.map { candidate in
            let rendered = bodies.body(candidate.document.body)
            return Page(slug: candidate.slug, title: candidate.document.title,
                        summary: candidate.document.summary ?? rendered.summary, body: rendered,
                        aliasPaths: Self.aliasPaths(candidate.document.aliases, diagnostics: &diagnostics))
        }

        let dates = content.posts.map(\.date.value.epochSeconds) + content.snippets.map(\.date.value.epochSeconds)
            + content.comments.map(\.date.value.epochSeconds)
        guard content.settings != nil else { return (nil, diagnostics, bodies.memo) }
        if let link = settings.image.flatMap({ ShareImage.resolve($0, base: base).link }) { bodies.internalLinks.append(link) }
        let site = Site(settings: settings, posts: sitePosts, tags: tags, areas: areas, pages: sitePages,
                        archive: makeArchive(sitePosts), staticFiles: content.staticFiles,
                        themeAssets: content.themeAssets, internalLinks: bodies.internalLinks, contentURLs: contentURLs,
                        schedule: .around(now, dates: dates))
        return (site, diagnostics, bodies.memo)
    }

    // MARK: - Areas

    /// Area profiles by slug; a folder whose name is not a slug is reported and left out.
    private func areaProfiles(_ documents: [AreaProfileDocument],
                              diagnostics: inout [Diagnostic]) -> [String: AreaProfileDocument] {
        var profiles: [String: AreaProfileDocument] = [:]
        for area in documents {
            if !Slug.isSlug(area.slug) {
                diagnostics.append(.error(area.location, "area folder '\(area.slug)' is not a slug; rename it '\(Slug.make(area.slug))'"))
                continue
            }
            profiles[area.slug] = area
        }
        return profiles
    }

    /// Published snippets by area; those of an area without a profile are errors, those
    /// scheduled for later wait.
    private func publishedSnippets(_ documents: [SnippetDocument], areaDocuments: [String: AreaProfileDocument],
                                   diagnostics: inout [Diagnostic],
                                   unpublished: inout [String: String]) -> [String: [SnippetDocument]] {
        var snippets: [String: [SnippetDocument]] = [:]
        for snippet in documents {
            guard areaDocuments[snippet.areaSlug] != nil else {
                diagnostics.append(.error(snippet.location, "snippet of area '\(snippet.areaSlug)', which has no index.md profile"))
                continue
            }
            guard snippet.date.value.epochSeconds <= now else {
                diagnostics.append(.note(snippet.date.location, "scheduled for \(snippet.date.value.shortDescription), not published"))
                unpublished[snippet.body.relativePath] = "is scheduled for \(snippet.date.value.shortDescription)"
                continue
            }
            snippets[snippet.areaSlug, default: []].append(snippet)
        }
        return snippets
    }

    private func makeAreas(_ slugs: [String], documents: [String: AreaProfileDocument],
                           snippets snippetDocuments: [String: [SnippetDocument]], posts: [Post],
                           bodies: RenderedBodies) -> [Area] {
        var postsByArea: [String: [Int]] = [:]
        for (index, post) in posts.enumerated() {
            for area in post.areas { postsByArea[area.slug, default: []].append(index) }
        }
        return slugs.compactMap { slug -> Area? in
            guard let document = documents[slug] else { return nil }
            let snippets = (snippetDocuments[slug] ?? [])
                .sorted { ($1.date.value, $0.fileStem, $0.body.relativePath) < ($0.date.value, $1.fileStem, $1.body.relativePath) }
                .map { Snippet(fileStem: $0.fileStem, title: $0.title, date: $0.date.value, source: $0.source,
                               tags: $0.tags.map(\.value), body: bodies.body($0.body)) }
            return Area(slug: slug, name: document.name, region: document.region, website: document.website?.value,
                        body: bodies.body(document.body), snippets: snippets, postIndices: postsByArea[slug] ?? [])
        }
    }

    // MARK: - Links between content files

    /// Every URL a `.md` link may name, by the linked file's path below the content folder.
    private static func contentURLs(posts: [PostCandidate], pages: [PageCandidate],
                                    snippets: [String: [SnippetDocument]], areas: [String: AreaProfileDocument],
                                    base: BaseURL) -> [String: String] {
        var urls: [String: String] = [:]
        for post in posts { urls[post.document.body.relativePath] = base.url(post.path) }
        for page in pages { urls[page.document.body.relativePath] = base.url(page.path) }
        for (slug, documents) in snippets {
            for snippet in documents {
                urls[snippet.body.relativePath] = base.url(Area.path(slug: slug) + "#snippet-\(snippet.fileStem)")
            }
        }
        for area in areas.values { urls[area.body.relativePath] = base.url(Area.path(slug: area.slug)) }
        return urls
    }

    // MARK: - Bodies

    private struct BodyJob: Sendable {
        var source: MarkdownSource
        var pageURL: String
        var rawHTML: Bool
        var isComment = false
    }

    /// Every body rendered, by source path, with the internal links they make.
    private struct RenderedBodies {
        var bodies: [String: RenderedBody] = [:]
        var internalLinks: [InternalLink] = []
        var memo: [BodyMemo.Entry] = []

        func body(_ source: MarkdownSource) -> RenderedBody {
            bodies[source.relativePath] ?? RenderedBody(template: "", summary: "")
        }
    }

    /// Every body the site shows, and those of posts with errors (never shown, but their links
    /// are checked so that one run reports every problem; docs/content.md, "When something is wrong").
    private func bodyJobs(posts: PostCandidates, comments: [String: [CommentDocument]], pages: [PageCandidate],
                          areaSlugs: [String], areas: [String: AreaProfileDocument],
                          snippets: [String: [SnippetDocument]], settings: SiteSettings) -> [BodyJob] {
        let base = settings.baseURL
        var jobs: [BodyJob] = []
        for post in posts.published {
            jobs.append(BodyJob(source: post.document.body, pageURL: base.url(post.path), rawHTML: settings.rawHTML))
            for comment in comments[post.slug] ?? [] {
                jobs.append(BodyJob(source: comment.body, pageURL: base.url(post.path), rawHTML: false, isComment: true))
            }
        }
        for post in posts.withProblems {
            jobs.append(BodyJob(source: post.document.body, pageURL: base.url(post.path), rawHTML: settings.rawHTML))
        }
        for page in pages { jobs.append(BodyJob(source: page.document.body, pageURL: base.url(page.path), rawHTML: settings.rawHTML)) }
        for slug in areaSlugs {
            guard let area = areas[slug] else { continue }
            jobs.append(BodyJob(source: area.body, pageURL: base.url(Area.path(slug: slug)), rawHTML: settings.rawHTML))
            for snippet in snippets[slug] ?? [] {
                jobs.append(BodyJob(source: snippet.body, pageURL: base.url(Area.path(slug: slug)), rawHTML: settings.rawHTML))
            }
        }
        return jobs
    }

    /// Renders each body once, on every core, or takes it from the memo when nothing its
    /// rendering reads has changed.
    private func renderBodies(_ jobs: [BodyJob], context: BodyContext, diagnostics: inout [Diagnostic]) -> RenderedBodies {
        let shared = Self.contextDigest(context)
        // Where every content file is published matters only to bodies that link to one.
        let links = jobs.contains { $0.source.linksToContent } ? Self.contentDigest(context) : 0
        let rendered = jobs.parallelMap { job -> BodyMemo.Entry in
            let key = Self.bodyKey(job, shared: shared, links: links)
            if let body = bodyMemo[key] { return BodyMemo.Entry(key: key, path: job.source.relativePath, body: body) }
            var source = job.source
            if source.isStored {
                // A missing text marks the store as damaged; the build then starts again without it.
                guard let text = storedTexts.text(source.textDigest) else {
                    return BodyMemo.Entry(key: key, path: job.source.relativePath, body: RenderedBody(template: "", summary: ""))
                }
                source = source.restored(text)
            }
            var jobContext = context
            jobContext.pageURL = job.pageURL
            jobContext.allowRawHTML = job.rawHTML
            jobContext.isComment = job.isComment
            return BodyMemo.Entry(key: key, path: job.source.relativePath, body: BodyRenderer.render(source, context: jobContext))
        }
        var result = RenderedBodies()
        result.memo = rendered
        result.bodies.reserveCapacity(jobs.count)
        for (job, entry) in zip(jobs, rendered) {
            result.bodies[job.source.relativePath] = entry.body
            diagnostics += entry.body.diagnostics
            result.internalLinks += entry.body.internalLinks
        }
        return result
    }

    /// Everything one body's rendering reads: its text and place, its page, and, when it names
    /// a `.md` file, where every content file is published.
    private static func bodyKey(_ job: BodyJob, shared: UInt64, links: UInt64) -> UInt64 {
        let source = job.source
        return StableHash.combine([
            shared, source.textDigest, StableHash.of(source.displayPath), StableHash.of(source.relativePath),
            UInt64(source.firstLine), StableHash.of(job.pageURL), job.rawHTML ? 1 : 2, job.isComment ? 1 : 2,
            source.linksToContent ? links : 0,
        ])
    }

    /// What every body's rendering reads from the site.
    private static func contextDigest(_ context: BodyContext) -> UInt64 {
        StableHash.combine([StableHash.of(context.basePath)] + context.reservedIDs.sorted().map(StableHash.of)
            + [0] + context.reservedIDPrefixes.map(StableHash.of))
    }

    /// Where content files are published, and which are not and why.
    private static func contentDigest(_ context: BodyContext) -> UInt64 {
        let published = context.contentURLs.sorted { $0.key < $1.key }.flatMap { [StableHash.of($0.key), StableHash.of($0.value)] }
        let unpublished = context.unpublishedContent.sorted { $0.key < $1.key }.flatMap { [StableHash.of($0.key), StableHash.of($0.value)] }
        return StableHash.combine(published + [0] + unpublished)
    }

    // MARK: - Comments

    /// Comments by post slug: their folder must name a post; those dated later wait; one too
    /// long to show is left out with a warning (a reader's text may not stall the build).
    private func shownComments(_ content: ParsedContent, slugOwners: [String: SourceLocation],
                               diagnostics: inout [Diagnostic]) -> [String: [CommentDocument]] {
        var commentsByPost: [String: [CommentDocument]] = [:]
        for (folder, location) in content.commentFolders.sorted(by: { $0.key < $1.key }) where slugOwners[folder] == nil {
            diagnostics.append(.error(location, "comments for unknown post '\(folder)'"
                                      + NearestName.hint(for: folder, among: slugOwners.keys)))
        }
        for comment in content.comments where comment.date.value.epochSeconds <= now {
            if let warning = MarkdownLimits.oversizedComment(comment.body) {
                diagnostics.append(warning)
                continue
            }
            commentsByPost[comment.postSlug, default: []].append(comment)
        }
        return commentsByPost
    }

    // MARK: - Posts

    private struct PostCandidates {
        /// Newest first; ties by slug, then path.
        var published: [PostCandidate]
        /// Posts with errors are never published, but their links are checked all the same.
        var withProblems: [PostCandidate]
        /// Every post's slug, published or not, with where it comes from.
        var slugOwners: [String: SourceLocation]
    }

    /// Posts with their slugs, tags, areas and paths worked out; those published (not drafts,
    /// not scheduled for later, without errors) apart, newest first.
    private func postCandidates(_ documents: [PostDocument], areaSlugs: [String],
                                areaDocuments: [String: AreaProfileDocument], diagnostics: inout [Diagnostic],
                                unpublished: inout [String: String]) -> PostCandidates {
        var candidates: [PostCandidate] = []
        var withProblems: [PostCandidate] = []
        var slugOwners: [String: SourceLocation] = [:]
        // Each post's slug, tags and areas on every core; what posts share (slugs) after, in order.
        let worked = documents.indicesSortedByKey(\.body.relativePath).parallelMap { index in
            var found: [Diagnostic] = []
            let worked = postCandidate(documents[index], areaSlugs: areaSlugs, areaDocuments: areaDocuments, diagnostics: &found)
            return (worked, found)
        }
        for (result, found) in worked {
            diagnostics += found
            guard let (candidate, valid) = result else { continue }
            if let owner = slugOwners[candidate.slug] {
                diagnostics.append(.error(candidate.slugLocation,
                                          "duplicate post slug '\(candidate.slug)': \(owner.path) has it too"))
                continue
            }
            // A post with problems still owns its slug (and its comments); it is never published.
            slugOwners[candidate.slug] = candidate.slugLocation
            if valid && candidate.document.isComplete {
                candidates.append(candidate)
            } else {
                withProblems.append(candidate)
                unpublished[candidate.document.body.relativePath] = "has errors of its own"
            }
        }
        diagnostics += Self.lookAlikeTags(documents)
        // Newest first; sorted as indices (the candidates are large), by date alone until two tie.
        let publishable = candidates.filter { isPublished($0, diagnostics: &diagnostics, unpublished: &unpublished) }
        let dates = publishable.map(\.document.date.value.epochSeconds)
        let published = publishable.indices.sorted { a, b in
            if dates[a] != dates[b] { return dates[a] > dates[b] }
            let (x, y) = (publishable[a], publishable[b])
            return (x.slug, x.document.body.relativePath) < (y.slug, y.document.body.relativePath)
        }.map { publishable[$0] }
        return PostCandidates(published: published, withProblems: withProblems, slugOwners: slugOwners)
    }

    /// The site's posts, with their rendered bodies and their comments in threads: each made on
    /// every core, the problems and links they bring gathered after, in order.
    private func makePosts(_ published: [PostCandidate], comments commentsByPost: [String: [CommentDocument]],
                           bodies: inout RenderedBodies, base: BaseURL, diagnostics: inout [Diagnostic]) -> [Post] {
        let rendered = bodies
        let made = published.parallelMap { candidate -> (post: Post, diagnostics: [Diagnostic], imageLink: InternalLink?) in
            var found: [Diagnostic] = []
            let document = candidate.document
            let body = rendered.body(document.body)
            let ordered = (commentsByPost[candidate.slug] ?? [])
                .sorted { ($0.date.value, $0.body.relativePath) < ($1.date.value, $1.body.relativePath) }
            let comments = CommentThreads.arrange(ordered, diagnostics: &found).map { placed in
                let comment = placed.document
                return Comment(name: comment.name, organisation: comment.organisation, date: comment.date.value,
                               body: rendered.body(comment.body), anchor: placed.anchor, fileStem: comment.fileStem, replyTo: placed.replyTo,
                               threadAnchor: placed.threadAnchor)
            }
            let permalink = base.absolute(candidate.path)
            let image = document.image.map { ShareImage.resolve($0, base: base) }
            let post = Post(
                slug: candidate.slug, title: document.title.value, date: document.date.value,
                updated: document.updated, author: document.author, role: document.role,
                tags: candidate.tags, areas: candidate.areas,
                summary: document.summary ?? body.summary, body: body, path: candidate.path,
                guid: document.guid ?? permalink, isPermalinkGUID: document.guid == nil,
                comments: comments, aliasPaths: candidate.aliasPaths, sourcePath: document.body.displayPath,
                image: image?.url, previewBanner: previewBanner(document))
            return (post, found, image?.link)
        }
        var posts: [Post] = []
        posts.reserveCapacity(made.count)
        for (post, found, imageLink) in made {
            posts.append(post)
            diagnostics += found
            if let imageLink { bodies.internalLinks.append(imageLink) }
        }
        return posts
    }

    /// Every post shows a tag in the spelling most posts use (the tag's name).
    private static func useTagNames(of tags: [Tag], in posts: inout [Post]) {
        let names = Dictionary(tags.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        for index in posts.indices {
            posts[index].tags = posts[index].tags.map { Reference(slug: $0.slug, name: names[$0.slug] ?? $0.name) }
        }
    }

    /// A class: candidates are large, and sorting and filtering ten thousand would copy each
    /// field of each several times.
    private final class PostCandidate: Sendable {
        let document: PostDocument
        let slug: String
        let slugLocation: SourceLocation
        let tags: [Reference]
        let areas: [Reference]
        let path: String
        let aliasPaths: [String]

        init(document: PostDocument, slug: String, slugLocation: SourceLocation, tags: [Reference], areas: [Reference],
             path: String, aliasPaths: [String]) {
            self.document = document
            self.slug = slug
            self.slugLocation = slugLocation
            self.tags = tags
            self.areas = areas
            self.path = path
            self.aliasPaths = aliasPaths
        }
    }

    private func postCandidate(_ document: PostDocument, areaSlugs: [String],
                               areaDocuments: [String: AreaProfileDocument],
                               diagnostics: inout [Diagnostic]) -> (PostCandidate, valid: Bool)? {
        let fileName = LinkPath.name(of: document.body.relativePath)
        let slugSource = document.slug?.value ?? Self.stripDatePrefix(String(fileName.dropLast(3)))
        let slugLocation = document.slug?.location ?? SourceLocation(path: document.body.displayPath)
        let slug = Slug.make(slugSource)
        var valid = true
        if slug.isEmpty {
            diagnostics.append(.error(slugLocation, "post slug comes out empty from '\(slugSource)'; set 'slug' to letters or digits"))
        }
        var tags: [Reference] = []
        var tagSlugs: Set<String> = []
        // A post shows on the page of each of its tags, with all its tags: past a few hundred
        // the site grows with the square of the count.
        if document.tags.count > Self.maximumTagsPerPost {
            let extra = document.tags[Self.maximumTagsPerPost]
            diagnostics.append(.error(extra.location, "a post may have at most \(Self.maximumTagsPerPost) tags; this one has \(document.tags.count)"))
            valid = false
        }
        for tag in document.tags.prefix(Self.maximumTagsPerPost) {
            let tagSlug = Slug.make(tag.value)
            if tagSlug.isEmpty {
                diagnostics.append(.error(tag.location, "tag '\(tag.value)' has an empty slug; use letters or digits"))
                valid = false
            } else if tagSlugs.insert(tagSlug).inserted {
                tags.append(Reference(slug: tagSlug, name: tag.value))
            }
        }
        var areas: [Reference] = []
        var areaSlugsSeen: Set<String> = []
        for area in document.areas {
            if let profile = areaDocuments[area.value] {
                if areaSlugsSeen.insert(area.value).inserted {
                    areas.append(Reference(slug: area.value, name: profile.name))
                }
            } else {
                diagnostics.append(.error(area.location, "unknown area '\(area.value)'" + NearestName.hint(for: area.value, among: areaSlugs)))
                valid = false
            }
        }
        let aliasPaths = Self.aliasPaths(document.aliases, diagnostics: &diagnostics)
        if aliasPaths.count < document.aliases.count { valid = false }
        guard !slug.isEmpty else { return nil }
        let local = document.date.value.local
        let path = "\(pad(local.year, 4))/\(pad(local.month))/\(slug)/"
        return (PostCandidate(document: document, slug: slug, slugLocation: slugLocation, tags: tags,
                              areas: areas, path: path, aliasPaths: aliasPaths), valid)
    }

    private func isPublished(_ candidate: PostCandidate, diagnostics: inout [Diagnostic],
                             unpublished: inout [String: String]) -> Bool {
        let document = candidate.document
        if let draft = document.draft, draft.value, !includeDrafts {
            diagnostics.append(.note(draft.location, "draft, not published"))
            unpublished[document.body.relativePath] = "is a draft"
            return false
        }
        if let draft = document.draft, draft.value {
            diagnostics.append(.note(draft.location, "draft, shown with a banner because of --drafts"))
        } else if document.date.value.epochSeconds > now && includeScheduled {
            diagnostics.append(.note(document.date.location,
                                     "scheduled for \(document.date.value.shortDescription), shown early with a banner"))
        }
        if document.date.value.epochSeconds > now && !includeScheduled {
            diagnostics.append(.note(document.date.location,
                                     "scheduled for \(document.date.value.shortDescription), not published"))
            unpublished[document.body.relativePath] = "is scheduled for \(document.date.value.shortDescription)"
            return false
        }
        return true
    }

    /// What a post's page says above it when it is shown although it is not published: a draft
    /// (`--drafts`) or a post scheduled for later (the preview server), so that a preview is never
    /// taken for the published site (docs/authors.md, "Previewing").
    private func previewBanner(_ document: PostDocument) -> String? {
        if document.draft?.value == true {
            return "Draft: this post is not published. It shows here because of --drafts; "
                + "delete the line 'draft: true' to publish it."
        }
        if document.date.value.epochSeconds > now {
            return "Scheduled: this post is not published until \(document.date.value.britishDate) at "
                + "\(document.date.value.clockTime). The preview shows it early."
        }
        return nil
    }

    /// `2009-05-11-keeping-up` -> `keeping-up`.
    static func stripDatePrefix(_ stem: String) -> String {
        let bytes = Array(stem.utf8)
        guard bytes.count > 11 else { return stem }
        let shape = bytes.prefix(11).enumerated().allSatisfy { index, byte in
            [4, 7, 10].contains(index) ? byte == 0x2D : (0x30...0x39).contains(byte)
        }
        return shape ? String(decoding: bytes.dropFirst(11), as: UTF8.self) : stem
    }

    // MARK: - Pages

    private struct PageCandidate {
        var document: PageDocument
        var slug: String
        var path: String { "\(slug)/" }
    }

    /// The output paths of a post's or page's `aliases`; each one that cannot be a path is an error.
    private static func aliasPaths(_ aliases: [Located<String>], diagnostics: inout [Diagnostic]) -> [String] {
        aliases.compactMap { alias in
            switch OutputPath.alias(alias.value) {
            case .success(let path): return path
            case .failure(let reason):
                diagnostics.append(.error(alias.location, "alias '\(alias.value)' \(reason.message)"))
                return nil
            }
        }
    }

    private func pageCandidates(_ documents: [PageDocument], diagnostics: inout [Diagnostic],
                                unpublished: inout [String: String]) -> [PageCandidate] {
        var pages: [PageCandidate] = []
        var owners: [String: String] = [:]
        for document in documents.sortedByKey(\.body.relativePath) {
            let fileName = LinkPath.name(of: document.body.relativePath)
            let source = document.slug?.value ?? String(fileName.dropLast(3))
            let location = document.slug?.location ?? SourceLocation(path: document.body.displayPath)
            let slug = Slug.make(source)
            if slug.isEmpty {
                diagnostics.append(.error(location, "page slug comes out empty from '\(source)'; set 'slug' to letters or digits"))
                continue
            }
            if Self.reservedPageSlugs.contains(slug) || (slug.count == 4 && slug.allSatisfy(\.isNumber)) {
                diagnostics.append(.error(location, "page slug '\(slug)' clashes with a generated path; choose another slug"))
                continue
            }
            if let owner = owners[slug] {
                diagnostics.append(.error(location, "duplicate page slug '\(slug)': \(owner) has it too"))
                continue
            }
            owners[slug] = document.body.displayPath
            if document.draft && !includeDrafts {
                diagnostics.append(.note(location, "draft, not published"))
                unpublished[document.body.relativePath] = "is a draft"
                continue
            }
            pages.append(PageCandidate(document: document, slug: slug))
        }
        return pages
    }

    // MARK: - Tags and archive

    /// `NI-7` beside `NI7`: tags whose slugs differ only by hyphens are two tags that were
    /// probably meant as one. Each use of a less common spelling gets a warning naming the
    /// more common one (ties: the first in Unicode order).
    static func lookAlikeTags(_ posts: [PostDocument]) -> [Diagnostic] {
        // Uses by spelling first (a site has thousands of uses of a few hundred tags), the
        // spellings in the order they first appear; then by slug, and by slug without hyphens.
        var usesBySpelling: [String: [Located<String>]] = [:]
        var spellings: [String] = []
        for post in posts {
            for tag in post.tags {
                if usesBySpelling[tag.value] == nil { spellings.append(tag.value) }
                usesBySpelling[tag.value, default: []].append(tag)
            }
        }
        var uses: [String: [String: [Located<String>]]] = [:] // squashed -> slug -> uses
        for spelling in spellings {
            let slug = Slug.make(spelling)
            guard !slug.isEmpty else { continue }
            uses[slug.replacingAll("-", with: ""), default: [:]][slug, default: []] += usesBySpelling[spelling] ?? []
        }
        var diagnostics: [Diagnostic] = []
        for (_, slugs) in uses where slugs.count > 1 {
            let ranked = slugs.sorted { lhs, rhs in
                lhs.value.count != rhs.value.count ? lhs.value.count > rhs.value.count : unicodeOrder(lhs.key, rhs.key)
            }
            guard let main = ranked.first, let shown = main.value.first?.value else { continue }
            for (_, others) in ranked.dropFirst() {
                for tag in others {
                    diagnostics.append(.warning(tag.location, "tag '\(tag.value)' looks like '\(shown)' "
                        + "(\(main.value.count) use\(main.value.count == 1 ? "" : "s")), but they are two tags: "
                        + "write '\(shown)' if they are meant to be one"))
                }
            }
        }
        return diagnostics
    }

    private func makeTags(_ posts: [Post]) -> [Tag] {
        var indices: [String: [Int]] = [:]
        var spellings: [String: [String: Int]] = [:]
        for (index, post) in posts.enumerated() {
            for tag in post.tags {
                indices[tag.slug, default: []].append(index)
                spellings[tag.slug, default: [:]][tag.name, default: 0] += 1
            }
        }
        return indices.keys.sorted().map { slug in
            let counts = spellings[slug] ?? [:]
            let name = counts.min { lhs, rhs in
                lhs.value != rhs.value ? lhs.value > rhs.value : Self.unicodeOrder(lhs.key, rhs.key)
            }?.key ?? slug
            return Tag(slug: slug, name: name, postIndices: indices[slug] ?? [])
        }
    }

    static func unicodeOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lazy.map(\.value).lexicographicallyPrecedes(rhs.unicodeScalars.lazy.map(\.value))
    }

    private func makeArchive(_ posts: [Post]) -> [ArchiveYear] {
        var years: [ArchiveYear] = []
        for (index, post) in posts.enumerated() {
            let local = post.date.local
            if years.last?.year != local.year {
                years.append(ArchiveYear(year: local.year, months: []))
            }
            if years[years.count - 1].months.last?.month != local.month {
                years[years.count - 1].months.append(ArchiveMonth(year: local.year, month: local.month, postIndices: []))
            }
            let last = years[years.count - 1].months.count - 1
            years[years.count - 1].months[last].postIndices.append(index)
        }
        return years
    }
}

private extension Array {
    /// Sorted by a key, moving indices rather than the (large) elements while sorting.
    func sortedByKey<Key: Comparable>(_ key: (Element) -> Key) -> [Element] {
        indicesSortedByKey(key).map { self[$0] }
    }

    /// The indices of the elements in the order `sortedByKey` gives, for work on the elements
    /// where they are.
    func indicesSortedByKey<Key: Comparable>(_ key: (Element) -> Key) -> [Int] {
        let keys = map(key)
        return indices.sorted { keys[$0] < keys[$1] }
    }
}
