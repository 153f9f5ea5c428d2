# Stand-in for numtide/devshell in tests/nix/devshells-harness.nix: mkShell
# returns its configuration, so the test can read the shells' commands.
{ nixpkgs }:
{
  mkShell = configuration: configuration // { _stubNixpkgs = nixpkgs.stubName; };
}
