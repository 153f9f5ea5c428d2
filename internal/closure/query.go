package closure

import (
	"context"
	"fmt"

	"github.com/axios-nix/axios/internal/runner"
)

// NixFlags turn on the nix command and flakes for one invocation, so the
// commands work before the configuration has enabled them.
var NixFlags = []string{"--extra-experimental-features", "nix-command flakes"}

// PathInfoCmd is the command that lists the closure of storePath.
func PathInfoCmd(storePath string) runner.Cmd {
	args := append(append([]string{}, NixFlags...), "path-info", "--recursive", "--size", "--json", storePath)
	return runner.Cmd{Name: "nix", Args: args}
}

// Query reads the closure of storePath with `nix path-info`.
func Query(ctx context.Context, r runner.Runner, storePath string) (Closure, error) {
	out, err := r.Output(ctx, PathInfoCmd(storePath))
	if err != nil {
		return nil, fmt.Errorf("listing the closure of %s: %w", storePath, err)
	}
	c, err := Parse(out, "")
	if err != nil {
		return nil, fmt.Errorf("listing the closure of %s: %w", storePath, err)
	}
	return c, nil
}

// Between queries both closures and compares them.
func Between(ctx context.Context, r runner.Runner, oldPath, newPath string) (Diff, error) {
	oldC, err := Query(ctx, r, oldPath)
	if err != nil {
		return Diff{}, err
	}
	newC, err := Query(ctx, r, newPath)
	if err != nil {
		return Diff{}, err
	}
	return Compare(oldPath, oldC, newPath, newC), nil
}
