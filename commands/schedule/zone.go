package schedule

import "strings"

// Zones returns IANA zone names that match query, for autocomplete: names
// that start with it first (e.g. "Europe/"), then names with a part that
// starts with it (e.g. "paris" for Europe/Paris), then names that merely
// contain it, each group in alphabetical order. Matching ignores case and
// reads spaces as underscores ("new york"). An empty query matches every
// name. At most limit names are returned; limit <= 0 means no limit.
func Zones(query string, limit int) []string {
	q := normalizeZone(query)
	var prefix, part, substr []string
	for _, name := range zoneNames {
		n := strings.ToLower(name)
		switch {
		case strings.HasPrefix(n, q):
			prefix = append(prefix, name)
		case strings.Contains(n, "/"+q):
			part = append(part, name)
		case strings.Contains(n, q):
			substr = append(substr, name)
		}
	}
	out := append(append(prefix, part...), substr...)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// canonicalZone finds the listed zone whose name equals name once case and
// spaces are ignored, so "europe/paris" is read as "Europe/Paris".
func canonicalZone(name string) (string, bool) {
	q := normalizeZone(name)
	for _, z := range zoneNames {
		if strings.ToLower(z) == q {
			return z, true
		}
	}
	return "", false
}

func normalizeZone(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_")
}
