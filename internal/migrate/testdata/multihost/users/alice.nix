# Shaped like the original's users/desktop-user.nix.
{ ... }:
{
  users.users.alice = {
    isNormalUser = true;
    description = "Alice Smith";
    initialPassword = "changeme";
    extraGroups = [
      "networkmanager"
      "wheel"
      "video"
    ];
  };
  home-manager.users.alice = {
    home.stateVersion = "24.05";
    programs.git.settings.user.name = "Alice Smith";
  };
  nix.settings.trusted-users = [ "alice" ];
}
