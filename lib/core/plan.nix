# What mkSystem sets for a checked host, as plain data: a list of
# { path = [ "option" "path" ]; value; } assignments. lib/default.nix turns
# each into a NixOS definition; keeping the choice here lets the Go tests
# evaluate it without nixpkgs.
{ cat }:
let
  inherit (builtins)
    attrNames
    concatMap
    elem
    filter
    isAttrs
    isString
    length
    ;
  util = import ./util.nix;
  set = path: value: { inherit path value; };
in
{
  # checked: the result of checkHost.
  hostSettings =
    checked:
    let
      h = checked.host;
      get = util.getPath h;
      entries = map (n: cat.nixos.${n}) checked.active;
      vendor = get "hardware.vendor";

      perEntry =
        e:
        (if e ? enable then [ (set (util.splitDots e.enable) true) ] else [ ])
        ++ (
          if e ? settings && isAttrs (get e.settings) && !(util.isUnset (get e.settings)) then
            [ (set [ e.settings ] (get e.settings)) ]
          else
            [ ]
        )
        ++ concatMap (
          opt:
          let
            v = get e.fromHost.${opt};
          in
          if util.isUnset v then [ ] else [ (set (util.splitDots opt) v) ]
        ) (attrNames (e.fromHost or { }))
        ++ (
          if isString vendor && (e.vendorSettings or { }) ? ${vendor} then
            map (opt: set (util.splitDots opt) e.vendorSettings.${vendor}.${opt}) (
              attrNames e.vendorSettings.${vendor}
            )
          else
            [ ]
        );

      users = get "users";
      userNames = if isAttrs users && !(util.isUnset users) then attrNames users else [ ];
      primaryNames =
        let
          marked = filter (n: (users.${n}.primary or null) == true) userNames;
        in
        if marked != [ ] then marked else if length userNames == 1 then userNames else [ ];
      pick = u: keys: builtins.intersectAttrs (util.listToSet keys) u;
      userSettings =
        if userNames == [ ] || !(elem "users" checked.selection.nixos) then
          [ ]
        else
          (map (
            n:
            set [ "axios" "user" ] (
              {
                name = n;
              }
              // pick users.${n} [
                "fullName"
                "email"
              ]
            )
          ) (util.take 1 primaryNames))
          ++ map (
            n:
            set [ "axios" "users" "accounts" n ] (
              pick users.${n} [
                "fullName"
                "email"
                "extraGroups"
                "isAdmin"
                "linger"
                "hashedPassword"
                "hashedPasswordFile"
                "sshKeys"
              ]
            )
          ) userNames;

      hostname = get "hostname";
    in
    (if isString hostname then [ (set [ "networking" "hostName" ] hostname) ] else [ ])
    ++ concatMap perEntry entries
    ++ userSettings;
}
