package bot_test

import (
	"errors"
	"testing"
	"time"

	"attache/bot"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    bot.Rate
		wantErr bool
	}{
		{in: "5/30s", want: bot.Rate{N: 5, Per: 30 * time.Second}},
		{in: " 20 / 1m ", want: bot.Rate{N: 20, Per: time.Minute}},
		{in: "10/m", want: bot.Rate{N: 10, Per: time.Minute}},
		{in: "off", want: bot.Rate{}},
		{in: "0", want: bot.Rate{}},
		{in: "5", wantErr: true},
		{in: "five/30s", wantErr: true},
		{in: "5/soon", wantErr: true},
		{in: "-1/30s", wantErr: true},
		{in: "5/-30s", wantErr: true},
		{in: "5/0s", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := bot.ParseRate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseRate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseRate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseToken(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
	}{
		{name: "plain", in: testToken, want: testToken},
		{name: "with Bot prefix", in: "Bot " + testToken, want: testToken},
		{name: "surrounding space", in: "  " + testToken + "\n", want: testToken},
		{name: "empty", in: "", wantErr: bot.ErrNoToken},
		{name: "only the prefix", in: "Bot ", wantErr: bot.ErrNoToken},
		{name: "two parts", in: "abc.def", wantErr: bot.ErrBadToken},
		{name: "four parts", in: "a.b.c.d", wantErr: bot.ErrBadToken},
		{name: "empty part", in: "abc..def", wantErr: bot.ErrBadToken},
		{name: "not base64url", in: "abc.d+f.ghi", wantErr: bot.ErrBadToken},
		{name: "padding", in: "abc=.def.ghi", wantErr: bot.ErrBadToken},
		{name: "client secret pasted", in: "Zx8-3kq_Lm0PqRsTuVwXyZ012345", wantErr: bot.ErrBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bot.ParseToken(tt.in)
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("ParseToken error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseToken = %q, want %q", got, tt.want)
			}
		})
	}
}
