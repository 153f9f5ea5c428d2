// Command abbench times whole processes side by side: the commands run
// alternately in one loop (the order rotating each round), so load from
// other processes falls on every side alike. It reports, per command, the
// median wall time and the median CPU time (user + system of the child,
// from its rusage, which load barely moves) and the ratios asked for.
//
//	abbench [-n RUNS] [-ratio A/B]... NAME cmd args... :: NAME cmd args... [:: ...]
//
// Each command runs once before timing; its exit status then must stay the
// same on every timed run (axios check exits 1 on a host with problems).
// Without -ratio, every command is compared with the first.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

type command struct {
	name string
	argv []string
}

type sample struct{ wall, cpu time.Duration }

type result struct {
	name      string
	wall, cpu time.Duration // medians
}

type ratios []string

func (r *ratios) String() string     { return strings.Join(*r, ",") }
func (r *ratios) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "abbench:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("abbench", flag.ContinueOnError)
	n := fs.Int("n", 30, "timed runs of each command")
	var rs ratios
	fs.Var(&rs, "ratio", "print the ratio of two commands' medians, as NAME/NAME (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmds, err := parseCommands(fs.Args())
	if err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("-n %d: want at least 1 run", *n)
	}
	if len(rs) == 0 {
		for _, c := range cmds[1:] {
			rs = append(rs, c.name+"/"+cmds[0].name)
		}
	}
	results, err := measure(cmds, *n)
	if err != nil {
		return err
	}
	return report(out, results, rs, *n)
}

// parseCommands splits "NAME cmd args... :: NAME cmd args..." into commands.
func parseCommands(args []string) ([]command, error) {
	var cmds []command
	seen := map[string]bool{}
	group := []string{}
	flush := func() error {
		if len(group) < 2 {
			return fmt.Errorf("each command needs a name and a program: got %q", group)
		}
		if seen[group[0]] {
			return fmt.Errorf("two commands are named %q", group[0])
		}
		seen[group[0]] = true
		cmds = append(cmds, command{name: group[0], argv: group[1:]})
		group = []string{}
		return nil
	}
	for _, a := range args {
		if a == "::" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		group = append(group, a)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(cmds) < 2 {
		return nil, errors.New("give at least two commands separated by ::")
	}
	return cmds, nil
}

// once runs a command with its output discarded and returns its times and
// exit status.
func once(c command) (sample, int, error) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return sample{}, 0, fmt.Errorf("%s: %w", c.name, err)
	}
	st := cmd.ProcessState
	return sample{wall: wall, cpu: st.UserTime() + st.SystemTime()}, st.ExitCode(), nil
}

// measure runs every command once untimed, then n rounds in which each
// command runs once, the starting command rotating round by round.
func measure(cmds []command, n int) ([]result, error) {
	status := make([]int, len(cmds))
	for i, c := range cmds {
		_, code, err := once(c)
		if err != nil {
			return nil, err
		}
		status[i] = code
	}
	samples := make([][]sample, len(cmds))
	for round := 0; round < n; round++ {
		for k := range cmds {
			i := (round + k) % len(cmds)
			s, code, err := once(cmds[i])
			if err != nil {
				return nil, err
			}
			if code != status[i] {
				return nil, fmt.Errorf("%s exited %d on run %d, %d on its first run", cmds[i].name, code, round+1, status[i])
			}
			samples[i] = append(samples[i], s)
		}
	}
	out := make([]result, len(cmds))
	for i, c := range cmds {
		var wall, cpu []time.Duration
		for _, s := range samples[i] {
			wall = append(wall, s.wall)
			cpu = append(cpu, s.cpu)
		}
		out[i] = result{name: c.name, wall: median(wall), cpu: median(cpu)}
	}
	return out, nil
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func report(w io.Writer, results []result, rs ratios, n int) error {
	byName := map[string]result{}
	width := 10
	for _, r := range results {
		byName[r.name] = r
		width = max(width, len(r.name))
	}
	fmt.Fprintf(w, "%d paired runs each (order rotating), medians\n", n)
	fmt.Fprintf(w, "%-*s %12s %12s\n", width, "", "wall ms", "CPU ms")
	for _, r := range results {
		fmt.Fprintf(w, "%-*s %12.2f %12.2f\n", width, r.name, ms(r.wall), ms(r.cpu))
	}
	for _, spec := range rs {
		a, b, ok := strings.Cut(spec, "/")
		ra, okA := byName[a]
		rb, okB := byName[b]
		if !ok || !okA || !okB {
			return fmt.Errorf("-ratio %q: want NAME/NAME of two commands", spec)
		}
		fmt.Fprintf(w, "ratio %s: wall %.2fx, CPU %.2fx\n", spec, ratio(ra.wall, rb.wall), ratio(ra.cpu, rb.cpu))
	}
	return nil
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		b = time.Microsecond
	}
	return float64(a) / float64(b)
}
