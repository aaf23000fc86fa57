import Foundation

/// The site's IANA time zone. Dates without an offset are read in it, and every date is shown
/// on its calendar.
public struct SiteTimeZone: Sendable, Hashable, Encodable {
    public let identifier: String
    let zone: TimeZone

    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
    }

    public static let london = SiteTimeZone(identifier: "Europe/London") ?? SiteTimeZone(utc: ())
    private init(utc: Void) {
        identifier = "UTC"
        zone = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
    }

    public static var knownIdentifiers: [String] { TimeZone.knownTimeZoneIdentifiers }

    /// The build cache tells zones apart by name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(identifier)
    }

    /// Offset from UTC at an instant, in seconds.
    func offset(at epochSeconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}

/// A calendar date and wall-clock time, without a zone.
public struct CivilDateTime: Sendable, Hashable, Codable, Comparable {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    public static func < (lhs: CivilDateTime, rhs: CivilDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's algorithm.
    var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    var secondsAsIfUTC: Int64 {
        daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    init(secondsAsIfUTC seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day,
                  hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int {
        let days = daysSinceEpoch
        return Int(((days % 7) + 11) % 7) // 1970-01-01 was a Thursday (4)
    }

    static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// An instant, with its wall-clock reading in the site's time zone.
public struct Moment: Sendable, Hashable, Codable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// The reading in the site's time zone: what URLs, archives and pages use.
    public let local: CivilDateTime
    /// The site zone's offset from UTC at this instant, in seconds.
    public let offsetSeconds: Int

    public init(epochSeconds: Int64, in zone: SiteTimeZone) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = zone.offset(at: epochSeconds)
        self.local = CivilDateTime(secondsAsIfUTC: epochSeconds + Int64(offsetSeconds))
    }

    /// A moment whose zone offset is already known (read back from the build cache).
    init(epochSeconds: Int64, offsetSeconds: Int) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = offsetSeconds
        self.local = CivilDateTime(secondsAsIfUTC: epochSeconds + Int64(offsetSeconds))
    }

    public static func < (lhs: Moment, rhs: Moment) -> Bool { lhs.epochSeconds < rhs.epochSeconds }
    public static func == (lhs: Moment, rhs: Moment) -> Bool { lhs.epochSeconds == rhs.epochSeconds }
    public func hash(into hasher: inout Hasher) { hasher.combine(epochSeconds) }

    /// Reads `YYYY-MM-DD` or `YYYY-MM-DD[ T]HH:MM[:SS[.fff]]`, optionally followed by `Z` or
    /// `±HH:MM`. Without an offset the wall-clock time is read in `zone`. On failure returns
    /// a short reason (empty when the text is simply not in a date format).
    public static func parse(_ text: String, in zone: SiteTimeZone) -> Result<Moment, DateFormatProblem> {
        Reading.parse(text).map { $0.moment(in: zone) }
    }

    /// A date as written, before a zone is known: its wall-clock reading and the offset, when
    /// the text gives one.
    public struct Reading: Sendable, Equatable {
        public var civil: CivilDateTime
        public var offsetSeconds: Int?

        /// The instant, with the text's offset or else `zone`'s at that wall-clock time.
        public func moment(in zone: SiteTimeZone) -> Moment {
            let wall = civil.secondsAsIfUTC
            let epoch: Int64
            if let offsetSeconds {
                epoch = wall - Int64(offsetSeconds)
            } else {
                // The zone's offset at the wall-clock time, refined once for changes of offset.
                let guess = wall - Int64(zone.offset(at: wall))
                epoch = wall - Int64(zone.offset(at: guess))
            }
            return Moment(epochSeconds: epoch, in: zone)
        }

        /// The one reader of the date forms above.
        public static func parse(_ text: String) -> Result<Reading, DateFormatProblem> {
            var scanner = DigitScanner(Array(text.utf8))
            guard let year = scanner.number(digits: 4), scanner.take("-"),
                  let month = scanner.number(digits: 2), scanner.take("-"),
                  let day = scanner.number(digits: 2) else { return .failure(.init("")) }
            var civil = CivilDateTime(year: year, month: month, day: day)
            var offset: Int?
            if !scanner.atEnd {
                guard scanner.take("T") || scanner.take("t") || scanner.take(" "),
                      let hour = scanner.number(digits: 2), scanner.take(":"),
                      let minute = scanner.number(digits: 2) else { return .failure(.init("")) }
                civil.hour = hour
                civil.minute = minute
                if scanner.take(":") {
                    guard let second = scanner.number(digits: 2) else { return .failure(.init("")) }
                    civil.second = second
                    if scanner.take(".") {
                        guard scanner.skipDigits() > 0 else { return .failure(.init("")) }
                    }
                }
                _ = scanner.skipSpaces()
                if scanner.take("Z") || scanner.take("z") {
                    offset = 0
                } else if let sign = scanner.sign() {
                    guard let hours = scanner.number(digits: 2) else { return .failure(.init("")) }
                    _ = scanner.take(":")
                    guard let minutes = scanner.number(digits: 2), hours <= 23, minutes <= 59 else {
                        return .failure(.init("offset out of range"))
                    }
                    offset = sign * (hours * 3600 + minutes * 60)
                }
                guard scanner.atEnd else { return .failure(.init("")) }
            }
            guard (1...12).contains(month) else { return .failure(.init("there is no month \(month)")) }
            guard (1...CivilDateTime.daysInMonth(month, of: year)).contains(day) else {
                return .failure(.init("there is no day \(day) in that month"))
            }
            guard civil.hour <= 23, civil.minute <= 59, civil.second <= 59 else {
                return .failure(.init("time out of range"))
            }
            return .success(Reading(civil: civil, offsetSeconds: offset))
        }
    }
}

public struct DateFormatProblem: Error, Sendable, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<(index + digits)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += digits
        return value
    }

    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        return index - start
    }

    mutating func skipSpaces() -> Int {
        let start = index
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        return index - start
    }

    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
