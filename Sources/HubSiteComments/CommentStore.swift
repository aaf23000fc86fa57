import Foundation
import GRDB

/// One reader's comment as the queue keeps it.
public struct Submission: Sendable, Equatable, Codable {
    public var id: Int64
    /// Slug of the post it is about.
    public var post: String
    public var name: String
    public var organisation: String
    public var comment: String
    /// Where it came from, for the rate limit and for the moderator.
    public var address: String
    /// When it arrived, in seconds since 1970.
    public var received: Int64
    public var status: Status
    /// The content file an approval wrote, relative to the content folder.
    public var file: String?

    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected
    }
}

/// The moderation queue: an SQLite database in WAL mode, written with `synchronous = FULL`, so
/// that a submission the service has acknowledged survives the service being killed, or the
/// machine losing power, the moment after (docs/comments.md).
public final class CommentStore: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("queue") { db in
            try db.execute(sql: """
                CREATE TABLE submission (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    post TEXT NOT NULL,
                    name TEXT NOT NULL,
                    organisation TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    address TEXT NOT NULL,
                    received INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
                    file TEXT
                );
                CREATE INDEX submission_status ON submission (status, id);
                CREATE TABLE secret (id INTEGER PRIMARY KEY CHECK (id = 1), bytes BLOB NOT NULL);
                """)
        }
        try migrator.migrate(pool)
    }

    /// Keeps a new submission as pending; returns once SQLite has committed it.
    public func add(post: String, name: String, organisation: String, comment: String,
                    address: String, received: Int64) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO submission (post, name, organisation, comment, address, received)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [post, name, organisation, comment, address, received])
            return db.lastInsertedRowID
        }
    }

    public func submissions(status: Submission.Status? = nil) throws -> [Submission] {
        try pool.read { db in
            let rows = if let status {
                try Row.fetchAll(db, sql: "SELECT * FROM submission WHERE status = ? ORDER BY id", arguments: [status.rawValue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM submission ORDER BY id")
            }
            return rows.map(Self.submission)
        }
    }

    public func submission(id: Int64) throws -> Submission? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM submission WHERE id = ?", arguments: [id]).map(Self.submission)
        }
    }

    /// Records a moderator's decision.
    public func setStatus(_ status: Submission.Status, file: String? = nil, id: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE submission SET status = ?, file = ? WHERE id = ?", arguments: [status.rawValue, file, id])
        }
    }

    /// The key that signs form tokens: made once, kept in the queue, so tokens survive a restart.
    public func signingSecret() throws -> [UInt8] {
        try pool.write { db in
            if let bytes = try Data.fetchOne(db, sql: "SELECT bytes FROM secret WHERE id = 1") { return [UInt8](bytes) }
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try db.execute(sql: "INSERT INTO secret (id, bytes) VALUES (1, ?)", arguments: [Data(bytes)])
            return bytes
        }
    }

    private static func submission(_ row: Row) -> Submission {
        Submission(id: row["id"], post: row["post"], name: row["name"], organisation: row["organisation"],
                   comment: row["comment"], address: row["address"], received: row["received"],
                   status: Submission.Status(rawValue: row["status"]) ?? .pending, file: row["file"])
    }
}
