package dates_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"attache/corpus/dates"
)

func TestScratch(t *testing.T) {
	f, _ := os.Open(os.Getenv("SCRATCH"))
	defer f.Close()
	ref := time.Time{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "REF ") {
			ref, _ = time.Parse("2006-01-02", line[4:])
			fmt.Println("== ref", ref.Format("Mon 2006-01-02"))
			continue
		}
		ms := dates.Find(line, ref)
		if len(ms) == 0 {
			continue
		}
		fmt.Println(line)
		for _, m := range ms {
			fmt.Println("    ", m.Kind, dates.Format(m))
		}
	}
}
