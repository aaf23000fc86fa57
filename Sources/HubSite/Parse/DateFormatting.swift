/// The ways the site writes a moment down. All work from the reading in the site's zone.
extension Moment {
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    /// "Monday 11 May 2009", as British readers write it.
    public var britishDate: String {
        "\(Self.weekdayNames[local.weekday]) \(local.day) \(Self.monthNames[local.month - 1]) \(local.year)"
    }

    /// "11 May 2009".
    public var dayMonthYear: String { "\(local.day) \(Self.monthNames[local.month - 1]) \(local.year)" }

    /// "11 Sep 2009".
    public var shortDayMonthYear: String { "\(local.day) \(Self.monthNames[local.month - 1].prefix(3)) \(local.year)" }

    /// "09:30".
    public var clockTime: String { "\(pad(local.hour)):\(pad(local.minute))" }

    /// "2009-05-11 09:30", for messages.
    public var shortDescription: String {
        "\(local.year)-\(pad(local.month))-\(pad(local.day)) \(clockTime)"
    }

    /// "2009-05-11", the calendar day in the site's zone.
    public var isoDay: String { "\(pad(local.year, 4))-\(pad(local.month))-\(pad(local.day))" }

    /// "2009-05-11T09:30:00+01:00", for `<time datetime>` and sitemaps.
    public var iso8601: String {
        "\(isoDay)T\(pad(local.hour)):\(pad(local.minute)):\(pad(local.second))\(offsetText(separator: ":"))"
    }

    /// "Mon, 11 May 2009 09:30:00 +0100", RFC 822 as RSS wants it (four-digit year, numeric zone).
    public var rfc822: String {
        let weekday = Self.weekdayNames[local.weekday].prefix(3)
        let month = Self.monthNames[local.month - 1].prefix(3)
        return "\(weekday), \(pad(local.day)) \(month) \(pad(local.year, 4)) "
            + "\(pad(local.hour)):\(pad(local.minute)):\(pad(local.second)) \(offsetText(separator: ""))"
    }

    private func offsetText(separator: String) -> String {
        let sign = offsetSeconds < 0 ? "-" : "+"
        let minutes = abs(offsetSeconds) / 60
        return "\(sign)\(pad(minutes / 60))\(separator)\(pad(minutes % 60))"
    }

    public static func monthName(_ month: Int) -> String { monthNames[(month - 1) % 12] }
}

func pad(_ value: Int, _ width: Int = 2) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
