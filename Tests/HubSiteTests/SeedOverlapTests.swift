import Foundation
import Testing

/// The hub's own content is written in its own words: no content file shares a run of nine or
/// more words with the page the hub began from (the seed), names of programmes and documents
/// aside. The seed lives outside the repository, in `shared/seeds/` beside the clone (or beside
/// the folder holding the clone); CI lays it there, and fails if it is missing.
@Suite("Content against the seed")
struct SeedOverlapTests {
    static let runLength = 9

    /// Names that any faithful account must repeat word for word.
    static let names = [
        "The Third Sector Guide for Public Service Commissioning",
        "environment for a thriving third sector",
        "Children Schools and Families",
        "VCS Engage Action Plan",
        "Herts Children's Trust Partnership",
        "Interim Delivery Group of Hertfordshire Forward",
        "Staffordshire Third Sector Network",
        "East and North Herts PCTs",
        "Strategic Engagement Officer Herts CVS Group",
        "Regional Development Officer Age Concern and Help the Aged",
        "Please include your name and organisation when you post a comment",
    ]

    /// `shared/seeds` in the repository's parent folder or the one above it.
    static let seedFolder: URL? = {
        var folder = TestPaths.packageRoot
        for _ in 0..<3 {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent("shared/seeds")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    @Test("CI has the seed beside the clone", .enabled(if: inCI))
    func seedPresentInCI() {
        #expect(Self.seedFolder != nil, "no shared/seeds/ beside \(TestPaths.packageRoot.path): CI must lay a copy of shared/ beside the clone")
    }

    @Test("no content file shares nine words in a row with the seed", .enabled(if: seedFolder != nil || inCI))
    func noCopiedRuns() throws {
        let folder = try #require(Self.seedFolder, "the seed folder is missing")
        let seedFiles = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(!seedFiles.isEmpty, "no seed files in \(folder.path)")
        var seedRuns: Set<[String]> = []
        for file in seedFiles {
            seedRuns.formUnion(Self.runs(in: try String(contentsOf: file, encoding: .utf8)))
        }
        #expect(!seedRuns.isEmpty)
        let content = TestPaths.packageRoot.appendingPathComponent("content")
        let files = try #require(FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" }
        #expect(files.count > 20)
        for file in files {
            let shared = Self.runs(in: try String(contentsOf: file, encoding: .utf8)).intersection(seedRuns)
            let shown = shared.map { $0.joined(separator: " ") }.sorted().prefix(3)
            #expect(shared.isEmpty, "\(file.lastPathComponent) shares with the seed: \(shown.joined(separator: " | "))")
        }
    }

    @Test("the comparison finds a copied sentence and lets a name through")
    func comparisonWorks() {
        let seed = Self.runs(in: "Haringey will be commissioning a mapping exercise to help them develop an understanding.")
        #expect(!Self.runs(in: "Haringey will be commissioning a mapping exercise to help them, it says.").intersection(seed).isEmpty)
        #expect(Self.runs(in: "Haringey plans to commission a study of the sector.").intersection(seed).isEmpty)
        let named = Self.runs(in: "Norfolk wrote The Third Sector Guide for Public Service Commissioning last year.")
        #expect(named.intersection(Self.runs(in: "This includes The Third Sector Guide for Public Service Commissioning.")).isEmpty)
    }

    /// Every run of `runLength` words, names taken out (a run never spans one).
    static func runs(in text: String) -> Set<[String]> {
        var result: Set<[String]> = []
        for segment in segments(of: text) where segment.count >= runLength {
            for start in 0...(segment.count - runLength) {
                result.insert(Array(segment[start..<(start + runLength)]))
            }
        }
        return result
    }

    /// The words, lower-cased, cut into pieces where a name stood.
    private static func segments(of text: String) -> [[String]] {
        let nameWords = names.map(words)
        let all = words(text)
        var segments: [[String]] = [[]]
        var index = 0
        while index < all.count {
            if let name = nameWords.first(where: { all[index...].starts(with: $0) }) {
                segments.append([])
                index += name.count
            } else {
                segments[segments.count - 1].append(all[index])
                index += 1
            }
        }
        return segments
    }

    private static func words(_ text: String) -> [String] {
        text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            .filter { !$0.isEmpty }
    }
}
