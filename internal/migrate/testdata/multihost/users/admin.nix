# Shaped like the original's users/server-user.nix.
{ ... }:
{
  users.users.admin = {
    isNormalUser = true;
    description = "Server Admin";
    extraGroups = [
      "wheel"
      "libvirtd"
      "podman"
    ];
  };
}
