/// What to write instead of a date hubsite cannot read: the author's own date in the form
/// `YYYY-MM-DD[ HH:MM]` when it can be read without guessing on an en-GB hub (day before
/// month: `11/05/2009` is 11 May), the form alone otherwise (docs/content.md, "Dates").
enum DateAdvice {
    static let form = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2009-05-11 09:30"

    /// The advice for a text that `Moment.parse` refused; `zone` only checks a suggestion.
    static func advice(for text: String) -> String {
        let dashes: Set<Unicode.Scalar> = ["\u{2013}", "\u{2014}", "\u{2012}", "\u{2212}", "\u{2010}", "\u{2011}"]
        if text.unicodeScalars.contains(where: dashes.contains) {
            var plain = String.UnicodeScalarView()
            var names: [String] = []
            for scalar in text.unicodeScalars {
                if dashes.contains(scalar) {
                    plain.append("-")
                    let name = dashName(scalar)
                    if !names.contains(name) { names.append(name) }
                } else {
                    plain.append(scalar)
                }
            }
            let fixed = String(plain)
            let suggestion = rewrite(fixed) ?? (isValid(fixed) ? fixed : nil)
            let what = "it has \(names.joined(separator: " and ")) where hyphens (-) belong"
            return suggestion.map { "\(what): write \($0)" } ?? "\(what); \(form)"
        }
        if let suggestion = rewrite(text) { return "write \(suggestion) (year-month-day)" }
        return form
    }

    private static func dashName(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\u{2013}": "en dashes (–)"
        case "\u{2014}": "em dashes (—)"
        case "\u{2212}": "minus signs (−)"
        default: "dashes (\(Character(scalar)))"
        }
    }

    private static func isValid(_ text: String) -> Bool {
        if case .success = Moment.parse(text, in: .london) { return true }
        return false
    }

    /// The text in hubsite's form, when it is a date in another common form that reads one way only.
    static func rewrite(_ text: String) -> String? {
        let words = tokens(text)
        // Numbers and month names, in the order written; a time is `H:MM` or `HH:MM[:SS]`.
        var numbers: [(value: Int, digits: Int)] = []
        var month: Int?
        var time: (hour: Int, minute: Int, second: Int?)?
        var order: [Character] = [] // "n" number, "m" month name
        for word in words {
            if let parsedTime = parseTime(word) {
                guard time == nil else { return nil }
                time = parsedTime
            } else if let number = Int(word), word.allSatisfy(\.isASCII) {
                numbers.append((number, word.count))
                order.append("n")
            } else if let named = monthNumber(word) {
                guard month == nil else { return nil }
                month = named
                order.append("m")
            } else if let number = ordinal(word) {
                numbers.append((number, 1))
                order.append("n")
            } else if weekdays.contains(where: { word.lowercased().hasPrefix($0) }) || ["at", "of", "am"].contains(word.lowercased()) {
                continue
            } else if word.lowercased() == "pm", let current = time, current.hour < 12 {
                time = (current.hour + 12, current.minute, current.second)
            } else {
                return nil
            }
        }
        let year: Int, monthValue: Int, day: Int
        if let month {
            // `11 May 2009`, `May 11, 2009`, `11th May 2009`.
            guard numbers.count == 2, let yearIndex = numbers.firstIndex(where: { $0.digits == 4 }) else { return nil }
            year = numbers[yearIndex].value
            day = numbers[1 - yearIndex].value
            monthValue = month
        } else {
            guard numbers.count == 3 else { return nil }
            if numbers[0].digits == 4 {
                // `2009-5-11`, `2009/05/11`: year first is always year-month-day.
                (year, monthValue, day) = (numbers[0].value, numbers[1].value, numbers[2].value)
            } else if numbers[2].digits == 4 {
                // `11/05/2009`: day first, as en-GB writes it.
                (year, monthValue, day) = (numbers[2].value, numbers[1].value, numbers[0].value)
            } else {
                return nil // two-digit years: which century?
            }
        }
        guard (1...12).contains(monthValue), (1...CivilDateTime.daysInMonth(monthValue, of: year)).contains(day) else {
            return nil
        }
        var result = "\(pad(year, 4))-\(pad(monthValue))-\(pad(day))"
        if let time {
            guard time.hour <= 23, time.minute <= 59, (time.second ?? 0) <= 59 else { return nil }
            result += " \(pad(time.hour)):\(pad(time.minute))"
            if let second = time.second { result += ":\(pad(second))" }
        }
        return isValid(result) ? result : nil
    }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ word: String) -> Int? {
        let lower = word.lowercased()
        guard lower.count >= 3, lower.allSatisfy(\.isLetter) else { return nil }
        let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"]
        if let index = full.firstIndex(of: lower) { return index + 1 }
        if lower == "sept" { return 9 }
        return months.firstIndex(of: lower).map { $0 + 1 }
    }

    /// `11th`, `1st`, `22nd`, `3rd`.
    private static func ordinal(_ word: String) -> Int? {
        let lower = word.lowercased()
        for suffix in ["st", "nd", "rd", "th"] where lower.hasSuffix(suffix) {
            return Int(lower.dropLast(2)).flatMap { (1...31).contains($0) ? $0 : nil }
        }
        return nil
    }

    private static func parseTime(_ word: String) -> (hour: Int, minute: Int, second: Int?)? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), parts[1].count == 2 else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) : nil
        if parts.count == 3 && second == nil { return nil }
        return (hour, minute, second)
    }

    /// Words and numbers, split at spaces, commas, slashes, dots and hyphens (not inside times).
    private static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            if character == " " || character == "," || character == "/" || character == "-" || character == "."
                || character == "T" && !current.isEmpty && current.allSatisfy(\.isNumber) {
                if !current.isEmpty { result.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
