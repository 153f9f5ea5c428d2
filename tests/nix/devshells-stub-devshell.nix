# Stand-in for numtide/devshell in tests/nix/devshells-harness.nix: mkShell
# returns its configuration, so the test can read the shells' commands.
{ nixpkgs, system }:
{
  mkShell =
    configuration:
    configuration
    // {
      _stubNixpkgs = nixpkgs.stubName;
      _stubSystem = system;
    };
}
