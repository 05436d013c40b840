package corpus

import (
	"testing"

	"github.com/goccy/go-yaml"
)

// TestSimpleFrontMatterAsYAML checks that whatever simpleFrontMatter reads
// it reads as the YAML decoder does, and that it leaves the rest to it.
func TestSimpleFrontMatterAsYAML(t *testing.T) {
	values := []struct {
		v      string
		simple bool // read without the YAML parser
	}{
		{`Starmer and Zelensky show united front ahead of Trump-Putin summit`, true},
		{`"Netherlands and Australia resume talks in Lima"`, true},
		{`'Talks in Lima'`, true},
		{`Sudan's warring sides`, true},
		{`He said "yes"`, true},
		{`""`, true},
		{`https://fixtures.invalid/a000000`, true},
		{`https://a.b/c?d=e&f`, true},
		{`Sir Keir, PM`, true},
		{`seed article  `, true},
		{`2026-03-20T10:43:00Z`, true},
		{`2016-06-01`, true},
		{`2026-03-20T10:43:00+02:00`, true},
		{`2026-03-20T10:43:00.5Z`, true},
		{`2026-13-45`, true},
		{`a:b`, true},
		{`yes`, true},
		{`true`, true},
		{`null`, false},
		{`~`, false},
		{`123`, false},
		{`1.5e3`, false},
		{`0x1F`, false},
		{`+1`, false},
		{`.inf`, false},
		{`2016-06-01 10:00`, false},
		{`x # comment`, false},
		{`"a\tb"`, false},
		{`'it''s'`, false},
		{`"say "hi""`, false},
		{`Trump–Putin: summit`, false},
		{`[a, b]`, false},
		{`{a: b}`, false},
		{`*anchor`, false},
		{`&anchor x`, false},
		{`!!str 12`, false},
		{`>`, false},
		{`|`, false},
		{`ends with:`, false},
	}
	type frontMatterCase struct {
		text   string
		simple bool
	}
	var cases []frontMatterCase
	for _, tt := range values {
		cases = append(cases, frontMatterCase{"\ntitle: " + tt.v + "\nsource: Wire\n", tt.simple})
	}
	// Shapes other than one line for each known key go to YAML.
	cases = append(cases,
		frontMatterCase{"\ntitle: a\r\nsource: b\r\n", true},
		frontMatterCase{"\ntitle: a\n\nsource: b\n", false},  // a blank line
		frontMatterCase{"\ntitle: a\n# note\n", false},       // a comment
		frontMatterCase{"\ntitle: a\ntags: x\n", false},      // another key
		frontMatterCase{"\ntitle: a\ntitle: b\n", false},     // a key twice
		frontMatterCase{"\ntitle:\n  a long title\n", false}, // a value on the next line
		frontMatterCase{"\n  title: a\n", false},             // indented
	)
	for _, tt := range cases {
		got, ok := simpleFrontMatter(tt.text)
		if ok != tt.simple {
			t.Errorf("%q: read without YAML %v, want %v", tt.text, ok, tt.simple)
		}
		if !ok {
			continue
		}
		var want frontMatter
		if err := yaml.Unmarshal([]byte(tt.text), &want); err != nil {
			t.Errorf("%q: YAML fails (%v) where simpleFrontMatter reads %+v", tt.text, err, got)
			continue
		}
		if got != want {
			t.Errorf("%q: simpleFrontMatter reads %+v, YAML %+v", tt.text, got, want)
		}
	}
}
