package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// simpleFrontMatter reads front matter written the way attache's feeds and
// most editors write it, one "key: value" line for each known key, without
// a YAML parser, which took a tenth of the time of indexing a corpus. It
// reports false for anything else (comments, blank lines, other keys,
// escapes, values YAML would read as something other than their text), and
// the caller parses the YAML then: what it returns is what the YAML
// decoder gives.
func simpleFrontMatter(yaml string) (frontMatter, bool) {
	var fm frontMatter
	seen := map[string]bool{}
	yaml = strings.TrimPrefix(yaml, "\n") // the newline after the opening ---
	for line := range strings.Lines(yaml) {
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		key, raw, ok := strings.Cut(line, ": ")
		if !ok || seen[key] {
			return frontMatter{}, false
		}
		seen[key] = true
		value, ok := simpleScalar(strings.TrimRight(raw, " "))
		if !ok {
			return frontMatter{}, false
		}
		switch key {
		case "title":
			fm.Title = value
		case "source":
			fm.Source = value
		case "url":
			fm.URL = value
		case "published":
			fm.Published = value
		default:
			return frontMatter{}, false
		}
	}
	return fm, true
}

// simpleScalar returns the text of a YAML scalar that is a quoted string
// without escapes, a plain string that starts with a letter (not null),
// or a date and time, and reports false for any other.
func simpleScalar(v string) (string, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		inner := v[1 : len(v)-1]
		if strings.ContainsAny(inner, "\"'\\") {
			return "", false
		}
		return inner, true
	}
	first, _ := utf8.DecodeRuneInString(v)
	switch {
	case v == "null" || v == "Null" || v == "NULL":
		return "", false
	case strings.Contains(v, ": ") || strings.Contains(v, " #") || strings.Contains(v, "\t") || strings.HasSuffix(v, ":"):
		return "", false
	case unicode.IsLetter(first):
		return v, true
	case isTimestamp(v):
		return v, true
	}
	return "", false
}

// isTimestamp reports whether v looks like a YAML date or date and time
// ("2025-08-14", "2025-08-14T09:00:00Z"), which YAML reads as a time and
// writes back as the same text.
func isTimestamp(v string) bool {
	if len(v) < len("2006-01-02") || v[4] != '-' || v[7] != '-' {
		return false
	}
	for i := range len("2006-01-02") {
		if i != 4 && i != 7 && (v[i] < '0' || v[i] > '9') {
			return false
		}
	}
	return strings.Trim(v[10:], "0123456789:.TZ+-") == ""
}
