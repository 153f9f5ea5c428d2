package testutil

import (
	"os"
	"strconv"
	"strings"
)

// ProcessGone reports whether process pid has ended (it is missing, or a
// zombie left for init to reap).
func ProcessGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
