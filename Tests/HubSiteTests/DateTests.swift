import HubSite
import Testing

/// Dates (docs/content.md): `YYYY-MM-DD` or `YYYY-MM-DD[ T]HH:MM[:SS]`, optionally `Z` or `±HH:MM`;
/// without an offset in the site's zone; shown on the calendar of that zone.
@Suite("Dates")
struct DateTests {
    // Instants worked out independently (GNU date), in seconds since 1970.
    @Test("every written form gives the right instant", arguments: [
        ("2009-05-11", Int64(1_241_996_400)),               // midnight BST = 23:00Z the day before
        ("2009-05-11 09:30", Int64(1_242_030_600)),         // 08:30Z
        ("2009-05-11T09:30", Int64(1_242_030_600)),
        ("2009-05-11t09:30", Int64(1_242_030_600)),
        ("2009-05-11 09:30:15", Int64(1_242_030_615)),
        ("2009-05-11T08:30:00Z", Int64(1_242_030_600)),
        ("2009-05-11T08:30:00z", Int64(1_242_030_600)),
        ("2009-05-11T10:30:00+02:00", Int64(1_242_030_600)),
        ("2009-05-11T03:30-05:00", Int64(1_242_030_600)),
        ("2009-05-11 09:30 +01:00", Int64(1_242_030_600)),
        ("2009-05-11T08:30:00.250Z", Int64(1_242_030_600)),
        ("2009-01-15 12:00", Int64(1_232_020_800)),         // GMT in winter: 12:00Z
        ("2010-01-01T00:00:00Z", Int64(1_262_304_000)),
        ("1969-12-31T00:00:00Z", Int64(-86_400)),
    ])
    func parses(text: String, expected: Int64) throws {
        #expect(try moment(text).epochSeconds == expected)
    }

    @Test("the offset in force: BST in summer, GMT in winter, on either side of the changes", arguments: [
        ("2009-03-29 00:30", 0),        // before the spring change (01:00Z)
        ("2009-03-29 02:30", 3600),     // after it
        ("2009-05-11 09:30", 3600),
        ("2009-10-25 00:30", 3600),     // before the autumn change
        ("2009-10-25 12:00", 0),
        ("2009-12-25 12:00", 0),
    ])
    func offsets(text: String, offset: Int) throws {
        #expect(try moment(text).offsetSeconds == offset)
    }

    @Test("a wall-clock time skipped by the spring change still reads as a real instant")
    func springGap() throws {
        // 01:30 does not exist on 2009-03-29 in London; it is taken as 01:30 GMT = 02:30 BST.
        let gap = try moment("2009-03-29 01:30")
        #expect(gap.epochSeconds == 1_238_290_200)
        #expect(gap.iso8601 == "2009-03-29T02:30:00+01:00")
    }

    @Test("British display: weekday, day without a leading zero, month name, year", arguments: [
        ("2009-05-11 09:30", "Monday 11 May 2009"),
        ("2009-06-01", "Monday 1 June 2009"),
        ("2008-02-29", "Friday 29 February 2008"),
        ("2000-01-01", "Saturday 1 January 2000"),
        ("1900-01-01", "Monday 1 January 1900"),
        ("1969-12-31T12:00:00Z", "Wednesday 31 December 1969"),
    ])
    func britishDate(text: String, expected: String) throws {
        #expect(try moment(text).britishDate == expected)
    }

    @Test("every way a moment is written, with one-digit fields padded and offsets either side of UTC")
    func writtenForms() throws {
        let may = try moment("2009-05-01 07:05")
        #expect(may.isoDay == "2009-05-01")
        #expect(may.iso8601 == "2009-05-01T07:05:00+01:00")
        #expect(may.clockTime == "07:05")
        #expect(may.shortDescription == "2009-05-01 07:05")
        #expect(may.dayMonthYear == "1 May 2009")
        #expect(may.shortDayMonthYear == "1 May 2009")
        #expect(may.britishDate == "Friday 1 May 2009")
        let india = try moment("2009-09-30 23:59", zone: "Asia/Kolkata")
        #expect(india.iso8601 == "2009-09-30T23:59:00+05:30")
        #expect(india.shortDayMonthYear == "30 Sep 2009")
        #expect(try moment("2009-07-04 12:00", zone: "America/New_York").iso8601 == "2009-07-04T12:00:00-04:00")
    }

    @Test("RFC 822 for feeds carries the zone's offset on that date")
    func rfc822() throws {
        #expect(try moment("2009-05-11 09:30").rfc822 == "Mon, 11 May 2009 09:30:00 +0100")
        #expect(try moment("2009-01-15 12:00").rfc822 == "Thu, 15 Jan 2009 12:00:00 +0000")
        #expect(try moment("2009-05-01").rfc822 == "Fri, 01 May 2009 00:00:00 +0100")
        // Written in UTC, shown in London time with London's offset.
        #expect(try moment("2009-05-11T08:30:00Z").rfc822 == "Mon, 11 May 2009 09:30:00 +0100")
        #expect(try moment("2009-07-04 12:00", zone: "America/New_York").rfc822 == "Sat, 04 Jul 2009 12:00:00 -0400")
        #expect(try moment("2009-01-04 12:00", zone: "America/New_York").rfc822 == "Sun, 04 Jan 2009 12:00:00 -0500")
        #expect(try moment("2009-07-04 12:00", zone: "Asia/Kolkata").rfc822 == "Sat, 04 Jul 2009 12:00:00 +0530")
    }

    @Test("ISO 8601 output, for <time datetime> and the sitemap")
    func iso8601() throws {
        #expect(try moment("2009-05-11 09:30").iso8601 == "2009-05-11T09:30:00+01:00")
        #expect(try moment("2009-01-15T12:00:05Z").iso8601 == "2009-01-15T12:00:05+00:00")
        #expect(try moment("2009-07-04 12:00", zone: "Asia/Kolkata").iso8601 == "2009-07-04T12:00:00+05:30")
        #expect(try moment("2009-05-11 09:30").isoDay == "2009-05-11")
    }

    @Test("the calendar day is the site zone's, whatever offset the date was written with")
    func calendarDayInSiteZone() throws {
        let lateUTC = try moment("2009-05-31T23:30:00Z")
        #expect(lateUTC.isoDay == "2009-06-01")
        #expect(lateUTC.britishDate == "Monday 1 June 2009")
        let farWest = try moment("2008-12-31T22:30:00-03:00")
        #expect(farWest.isoDay == "2009-01-01")
        #expect(farWest.shortDescription == "2009-01-01 01:30")
    }

    @Test("dates that are not dates fail, with a reason when there is one", arguments: [
        ("2009-02-30", "there is no day 30 in that month"),
        ("2009-02-29", "there is no day 29 in that month"),
        ("1900-02-29", "there is no day 29 in that month"),
        ("2009-04-31", "there is no day 31 in that month"),
        ("2009-00-10", "there is no month 0"),
        ("2009-13-01", "there is no month 13"),
        ("2009-05-11 24:00", "time out of range"),
        ("2009-05-11 09:60", "time out of range"),
        ("2009-05-11 09:30:61", "time out of range"),
        ("2009-05-11T09:30+24:00", "offset out of range"),
        ("next tuesday", ""),
        ("2009-5-11", ""),
        ("11/05/2009", ""),
        ("2009-05-11T", ""),
        ("2009-05-11 9:30", ""),
        ("2009-05-11 09:30 BST", ""),
        ("", ""),
    ])
    func rejects(text: String, reason: String) {
        switch Moment.parse(text, in: .london) {
        case .success(let moment): Issue.record("'\(text)' was read as \(moment.iso8601)")
        case .failure(let problem): #expect(problem.reason == reason)
        }
    }

    @Test("leap days that exist are accepted")
    func leapDays() throws {
        #expect(try moment("2008-02-29").isoDay == "2008-02-29")
        #expect(try moment("2000-02-29").isoDay == "2000-02-29")
    }

    @Test("an impossible date in front matter is an error at the value, with the reason")
    func impossibleDateInFrontMatter() {
        let result = model(["posts/a.md": post("A", date: "2009-02-30")])
        #expect(report(result.diagnostics) == [
            "content/posts/a.md:3:7: error: 'date' is not a date: \"2009-02-30\" (there is no day 30 in that month)",
        ])
    }

    @Test("the documented example message for a date that is not one")
    func nextTuesday() {
        let result = model(["posts/2009/joneses.md": post("Joneses", date: "next tuesday")])
        #expect(report(result.diagnostics) == [
            "content/posts/2009/joneses.md:3:7: error: 'date' is not a date: \"next tuesday\"; "
                + "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2009-05-11 09:30",
        ])
    }

    @Test("the site's timezone setting decides how dates without an offset are read")
    func siteTimeZone() throws {
        let settings = defaultSettings + "\ntimezone: America/New_York\n"
        let result = model(["posts/a.md": post("A", date: "2009-07-04 23:30")], settings: settings)
        let site = try #require(result.site)
        let first = try #require(site.posts.first)
        #expect(first.date.epochSeconds == 1_246_764_600) // 2009-07-05T03:30Z
        #expect(first.path == "2009/07/a/")
        #expect(first.date.rfc822 == "Sat, 04 Jul 2009 23:30:00 -0400")
    }
}
