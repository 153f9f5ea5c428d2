# The terminal: fish, git with delta, ghostty, starship and the CLI tools.
# Present on every home through the base profile's `requires`.
{ lib, ... }:
{
  imports = [
    ./fish.nix
    ./git.nix
    ./ghostty.nix
    ./starship.nix
    ./tools.nix
  ];

  options.axios.terminal.enable = lib.mkEnableOption "the axiOS terminal (fish, git, ghostty, starship, CLI tools)" // {
    default = true;
  };
}
