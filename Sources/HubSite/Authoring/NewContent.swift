/// `hubsite new`: the path and text of a new post or area profile, made from strings.
///
/// Everything here is pure (`NewContent.post`, `NewContent.area`) except two clearly marked
/// places: `NewContent.readFacts` reads what a new file must agree with (the site's time zone,
/// the areas, the posts' slugs) and `NewContent.create` is the one function that writes.
public enum NewContent {
    /// A file to create, relative to the content folder.
    public struct File: Sendable, Equatable {
        /// `posts/2009/2009-05-11-keeping-up-with-the-joneses.md`, `areas/west-sussex/index.md`.
        public var relativePath: String
        public var text: String

        public init(relativePath: String, text: String) {
            self.relativePath = relativePath
            self.text = text
        }
    }

    /// Why a new file cannot be made. Each maps to one exit status (README, "The command line").
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The title, name or a tag has no letters or digits to make a slug of (exit 2).
        case emptySlug(what: String, text: String)
        /// An `--area` that names no area (exit 1).
        case unknownArea(String, suggestion: String?)
        /// Another post's file name gives the same slug; the build would refuse both (exit 1).
        case slugTaken(slug: String, by: String)
        /// The file is there already (exit 3).
        case fileExists(String)
        /// The disk refused (exit 3).
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .emptySlug(let what, let text):
                return "\(what) '\(text)' has no letters or digits to make a slug from"
            case .unknownArea(let area, let suggestion):
                return "unknown area '\(area)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                    + "; areas are the folders of content/areas/ that hold an index.md"
            case .slugTaken(let slug, let path):
                return "\(path) already has the slug '\(slug)', and two posts cannot share one; choose another title"
            case .fileExists(let path):
                return "file already exists: \(path)"
            case .cannotWrite(let path, let reason):
                return "cannot write \(path): \(reason)"
            }
        }
    }

    /// Every reason a new file cannot be made, all at once.
    public struct Problems: Error, Sendable, Equatable {
        public var problems: [Problem]
        public init(_ problems: [Problem]) { self.problems = problems }
    }

    /// What a new file must agree with, read from the content folder.
    public struct ContentFacts: Sendable, Equatable {
        /// The site's zone (`timezone` in site.yml; Europe/London when absent or unreadable).
        public var timeZone: SiteTimeZone
        /// Slugs of the areas that have a profile (`areas/<slug>/index.md`).
        public var areaSlugs: [String]
        /// Post slug -> the content-relative path of the post whose file name gives it.
        public var postSlugs: [String: String]
        /// The content folder as the user named it, for messages.
        public var contentRoot: String

        public init(timeZone: SiteTimeZone = .london, areaSlugs: [String] = [], postSlugs: [String: String] = [:],
                    contentRoot: String = "content") {
            self.timeZone = timeZone
            self.areaSlugs = areaSlugs
            self.postSlugs = postSlugs
            self.contentRoot = contentRoot
        }
    }

    // MARK: - Posts

    /// A new draft post dated `now`, on the wall clock of `facts.timeZone`.
    ///
    /// `areas` may be slugs or names that slug to one (`West Sussex` -> `west-sussex`); every
    /// unknown one is reported. Tags that share a slug are given once, first spelling first.
    public static func post(title: String, now epochSeconds: Int64, tags: [String] = [], areas: [String] = [],
                            facts: ContentFacts) -> Result<File, Problems> {
        var problems: [Problem] = []
        let cleanTitle = title.trimmingWhitespace()
        let slug = Slug.make(cleanTitle)
        if slug.isEmpty { problems.append(.emptySlug(what: "title", text: title)) }

        var tagList: [String] = []
        var tagSlugs: Set<String> = []
        for tag in tags.map({ $0.trimmingWhitespace() }) {
            let tagSlug = Slug.make(tag)
            if tagSlug.isEmpty {
                problems.append(.emptySlug(what: "tag", text: tag))
            } else if tagSlugs.insert(tagSlug).inserted {
                tagList.append(tag)
            }
        }

        var areaList: [String] = []
        for area in areas.map({ $0.trimmingWhitespace() }) {
            let known = facts.areaSlugs.contains(area) ? area
                : facts.areaSlugs.contains(Slug.make(area)) ? Slug.make(area) : nil
            guard let known else {
                problems.append(.unknownArea(area, suggestion: NearestName.suggestion(for: area, among: facts.areaSlugs)))
                continue
            }
            if !areaList.contains(known) { areaList.append(known) }
        }
        let local = Moment(epochSeconds: epochSeconds, in: facts.timeZone).local
        let day = "\(pad(local.year, 4))-\(pad(local.month))-\(pad(local.day))"
        let relativePath = "posts/\(pad(local.year, 4))/\(day)-\(slug).md"
        if let other = facts.postSlugs[slug], other != relativePath {
            problems.append(.slugTaken(slug: slug, by: facts.contentRoot + "/" + other))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        let text = """
            ---
            title: \(YAMLText.scalar(cleanTitle))
            date: \(day) \(pad(local.hour)):\(pad(local.minute))
            author:
            role:
            tags: \(YAMLText.flowList(tagList))
            areas: \(YAMLText.flowList(areaList))
            draft: true
            ---


            """
        return .success(File(relativePath: relativePath, text: text))
    }

    // MARK: - Areas

    /// A new area profile: `areas/<slug>/index.md` with the name filled in and the rest blank.
    public static func area(name: String) -> Result<File, Problems> {
        let cleanName = name.trimmingWhitespace()
        let slug = Slug.make(cleanName)
        guard !slug.isEmpty else { return .failure(Problems([.emptySlug(what: "name", text: name)])) }
        let text = """
            ---
            name: \(YAMLText.scalar(cleanName))
            region:
            website:
            ---


            """
        return .success(File(relativePath: "areas/\(slug)/index.md", text: text))
    }

    // MARK: - Reading the content folder

    /// Reads site.yml's time zone, the areas and the posts' file names. Reads only; a missing
    /// or broken file leaves its default (the build reports it, not `new`).
    public static func readFacts(contentPath: String) -> ContentFacts {
        let contentPath = trimmed(contentPath)
        var facts = ContentFacts(contentRoot: contentPath)
        let settingsPath = contentPath + "/site.yml"
        if let size = fileSize(settingsPath), let bytes = FolderReader.contents(of: settingsPath, size: size),
           case .success(let decoded) = SourceText.decode(SourceFile(relativePath: "site.yml",
                                                                      displayPath: settingsPath, bytes: bytes)) {
            var matter = FrontMatter(yaml: decoded.text, firstLine: 1, path: settingsPath)
            if let name = matter.string("timezone")?.value, let zone = SiteTimeZone(identifier: name) {
                facts.timeZone = zone
            }
        }
        let areasPath = contentPath + "/areas"
        for name in FolderReader.entries(of: areasPath) ?? [] where !name.hasPrefix(".") {
            if fileSize(areasPath + "/" + name + "/index.md") != nil { facts.areaSlugs.append(name) }
        }
        collectPostSlugs(folder: contentPath + "/posts", relative: "posts", into: &facts.postSlugs)
        return facts
    }

    private static func collectPostSlugs(folder: String, relative: String, into slugs: inout [String: String]) {
        for name in FolderReader.entries(of: folder) ?? [] where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if FolderReader.isFolder(path) {
                collectPostSlugs(folder: path, relative: relative + "/" + name, into: &slugs)
            } else if name.hasSuffix(".md") {
                let slug = Slug.make(SiteBuilder.stripDatePrefix(String(name.dropLast(3))))
                if !slug.isEmpty && slugs[slug] == nil { slugs[slug] = relative + "/" + name }
            }
        }
    }

    /// `content/` -> `content`, so that paths in messages read cleanly.
    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    private static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    // MARK: - Writing (the only write of `new`)

    /// WRITES TO DISK: creates `contentPath/file.relativePath` and any folders above it, and never
    /// replaces a file that is there already (`O_EXCL`). Returns the path it wrote.
    @discardableResult
    public static func create(_ file: File, contentPath: String) throws(Problem) -> String {
        let contentPath = trimmed(contentPath)
        let path = contentPath + "/" + file.relativePath
        var folder = ""
        for part in file.relativePath.split(separator: "/").dropLast() {
            folder += (folder.isEmpty ? "" : "/") + part
            let full = contentPath + "/" + folder
            if mkdir(full, 0o755) != 0 && errno != EEXIST {
                throw .cannotWrite(path: full, reason: String(cString: strerror(errno)))
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .fileExists(path) }
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var bytes = Array(file.text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            bytes = bytes.dropFirst(count)
        }
        return path
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
