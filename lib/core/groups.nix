# The automatic supplementary groups of an axiOS account: builtins only.
#
# The users module reads real NixOS options, turns them into the plain facts
# below and calls this function; the Go tests call it with
# `nix-instantiate --eval --strict --json`.
#
#   import ./groups.nix {
#     primary = true;          # the primary user also gets the admin groups
#     autoGroups = true;       # axios.users.autoGroups
#     facts = {                # each a bool; a missing fact counts as false
#       networkmanager = …;    # networking.networkmanager.enable
#       desktop = …;           # desktop.enable
#       graphics = …;          # hardware.graphics.enable
#       printing = …;          # services.printing.enable
#       scanner = …;           # hardware.sane.enable
#       libvirt = …;           # virtualisation.libvirtd.enable
#       podman = …;            # virtualisation.podman.enable
#       plugdev = …;           # hardware.desktop.enable (creates plugdev)
#       development = …;       # development.enable
#     };
#     extraGroups = [ ];       # axios.users.extraGroups (every account)
#     accountGroups = [ ];     # axios.users.accounts.<name>.extraGroups
#   }
#   => [ "wheel" "networkmanager" … ]   (first occurrence wins, order kept)
{
  primary ? true,
  autoGroups ? true,
  facts ? { },
  extraGroups ? [ ],
  accountGroups ? [ ],
}:
let
  inherit (builtins)
    attrNames
    concatMap
    elem
    filter
    foldl'
    isBool
    isList
    isString
    ;

  # Facts the function understands, with the groups each one brings, in the
  # order they are contributed.
  contributions = [
    {
      fact = "networkmanager";
      groups = [ "networkmanager" ];
    }
    # No "input": membership lets every process of the user read every
    # keyboard. The compositor gets input devices from logind, and game
    # controllers get `uaccess` udev rules (modules/desktop/input.nix,
    # modules/gaming), which reach only the user at the active seat.
    {
      fact = "desktop";
      groups = [
        "video"
        "audio"
      ];
    }
    {
      fact = "graphics";
      groups = [
        "video"
        "render"
      ];
    }
    {
      fact = "printing";
      groups = [ "lp" ];
    }
    {
      fact = "scanner";
      groups = [ "scanner" ];
    }
    {
      fact = "libvirt";
      groups = [
        "libvirtd"
        "kvm"
      ];
    }
    {
      fact = "podman";
      groups = [ "podman" ];
    }
    {
      fact = "plugdev";
      groups = [ "plugdev" ];
    }
    {
      fact = "development";
      groups = [
        "adm"
        "dialout"
      ];
    }
  ];

  knownFacts = map (c: c.fact) contributions;

  # Groups that hand out administrator power (sudo, all logs, a root-owned
  # daemon socket): only the primary user gets them automatically.
  adminGroups = [
    "wheel"
    "adm"
    "libvirtd"
    "podman"
  ];

  unknown = filter (n: !(elem n knownFacts)) (attrNames facts);
  notBool = filter (n: !(isBool facts.${n})) (attrNames facts);
  badList = name: l: !(isList l) || filter (g: !(isString g)) l != [ ];

  check =
    if unknown != [ ] then
      throw "groups.nix: unknown fact \"${builtins.head unknown}\"; known facts: ${builtins.concatStringsSep ", " knownFacts}"
    else if notBool != [ ] then
      throw "groups.nix: fact \"${builtins.head notBool}\" must be true or false"
    else if badList "extraGroups" extraGroups then
      throw "groups.nix: extraGroups must be a list of strings"
    else if badList "accountGroups" accountGroups then
      throw "groups.nix: accountGroups must be a list of strings"
    else
      true;

  isOn = name: facts.${name} or false;

  automatic = [
    "wheel"
  ]
  ++ concatMap (c: if isOn c.fact then c.groups else [ ]) contributions;

  forAccount = if primary then automatic else filter (g: !(elem g adminGroups)) automatic;

  dedup = foldl' (acc: g: if elem g acc then acc else acc ++ [ g ]) [ ];
in
assert check;
dedup ((if autoGroups then forAccount else [ ]) ++ extraGroups ++ accountGroups)
