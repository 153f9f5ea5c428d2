package testrunenv

import (
	"strconv"
	"strings"
)

// ModuleState is the state of the module holding a folder for a piece of
// work (building, vetting) with some arguments, taken before the work:
// Head names the work, the build key (BuildKey), the module and the
// arguments, as the first line of a record of the work done; OK is false
// when there is no key, and nothing may be recorded.
type ModuleState struct {
	dir, key string
	Head     string
	OK       bool
}

// StateOf takes the state of the module holding dir ("" is the working
// directory) for work with args.
func StateOf(dir, work string, args []string) ModuleState {
	if dir == "" {
		dir = "."
	}
	key, module, err := BuildKey(dir)
	head := work + " " + key + " " + strconv.Quote(module) + " " + strconv.Quote(strings.Join(args, "\x00"))
	return ModuleState{dir: dir, key: key, Head: head, OK: err == nil}
}

// Unchanged reports whether the key is the same now, after the work: a
// file changed while it ran (and perhaps back) leaves nothing to record.
func (s ModuleState) Unchanged() bool {
	after, _, err := BuildKey(s.dir)
	return s.OK && err == nil && after == s.key
}
