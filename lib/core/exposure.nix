# Exposure: which ports a host opens on loopback, the tailnet and every other
# interface, from lib/ports.toml, with builtins only.
#
#   report checked          the per-class listing `axios plan --exposure`
#                           shows (checked: the result of checkHost); Go's
#                           internal/exposure computes the same from the host
#                           file and the tests require them to agree
#   firewall { id; config; tailnetInterface ? "tailscale0"; }
#                           the networking.firewall definition a NixOS module
#                           makes for one service, from the same data
#   default "<option>"      the default lib/ports.toml gives an option; the
#                           modules use it for their own options and for the
#                           nixpkgs options named in otherUpstream
#
# Option values: the host's (settings mkSystem derives from the host, then its
# extraConfig table) for the report, the evaluated config for the modules;
# an option neither sets takes its [option] default. docs/security.md.
{ ports, cat }:
let
  inherit (builtins)
    attrNames
    concatMap
    elem
    filter
    foldl'
    isAttrs
    isBool
    isList
    isString
    listToAttrs
    map
    sort
    ;
  util = import ./util.nix;
  plan = import ./plan.nix { inherit cat; };

  services = ports.service or { };
  options = ports.option or { };

  default =
    option:
    if options ? ${option} then
      options.${option}.default
    else
      throw "lib/ports.toml: option ${option} has no [option.\"${option}\"] default\n  fix: add one";

  # A getter over an attribute tree of option values: the value at the
  # dotted path, else the [option] default.
  getterOf =
    tree: option:
    let
      v = util.getPath tree option;
    in
    if util.isUnset v then default option else v;

  holds =
    get: option: want:
    let
      v = get option;
    in
    if isList want then elem v want else v == want;

  isActive =
    get: s:
    let
      w = s.when or { };
    in
    foldl' (ok: o: ok && holds get o w.${o}) true (attrNames w);

  range = r: {
    from = builtins.elemAt r 0;
    to = builtins.elemAt r 1;
  };

  portsOf = get: s: {
    tcp = if s ? portOption then [ (get s.portOption) ] else s.tcp or [ ];
    udp = s.udp or [ ];
    tcpRanges = map range (s.tcpRanges or [ ]);
    udpRanges = map range (s.udpRanges or [ ]);
  };

  # What an `other` option asks for: [ "*" ] (every interface), a list of
  # interface names, or [ ] (nothing).
  interfacesOf =
    option: v:
    if isBool v then
      (if v then [ "*" ] else [ ])
    else if isList v && builtins.all isString v then
      v
    else
      throw "${option} must be a bool or a list of interface names (lib/ports.toml)\n  fix: set it to true/false or to [ \"enp3s0\" ]";

  # Every class entry of one active service.
  entriesOf =
    get: id: s:
    let
      base = {
        service = id;
        inherit (s) module description;
      }
      // portsOf get s;
      asked = option: {
        inherit option;
        interfaces = interfacesOf option (get option);
      };
      otherAsked = filter (a: a.interfaces != [ ]) (
        map asked ((s.other or [ ]) ++ (s.otherUpstream or [ ]))
      );
    in
    {
      loopback =
        if s.loopback or false then
          [
            (
              base
              // {
                interfaces = [ "lo" ];
                askedBy = "";
              }
            )
          ]
        else
          [ ];
      tailnet =
        if s.tailnet or false then
          [
            (
              base
              // {
                interfaces = [ "tailscale0" ];
                askedBy = "";
              }
            )
          ]
        else
          [ ];
      other = map (
        a:
        base
        // {
          inherit (a) interfaces;
          askedBy = a.option;
        }
      ) otherAsked;
    };

  # { loopback; tailnet; other; } for a getter and a module-activity test.
  classify =
    get: moduleActive:
    let
      ids = filter (id: moduleActive services.${id}.module && isActive get services.${id}) (
        sort (a: b: a < b) (attrNames services)
      );
      all = map (id: entriesOf get id services.${id}) ids;
      pick = cls: concatMap (e: e.${cls}) all;
    in
    {
      loopback = pick "loopback";
      tailnet = pick "tailnet";
      other = pick "other";
    };

  # Deep merge: b's leaves win; attribute sets merge.
  merge =
    a: b:
    if isAttrs a && isAttrs b then
      a
      // listToAttrs (
        map (k: {
          name = k;
          value = if a ? ${k} then merge a.${k} b.${k} else b.${k};
        }) (attrNames b)
      )
    else
      b;

  # The host's option values: what mkSystem sets from the host, then the
  # extraConfig table (a module function or path cannot be read here).
  hostTree =
    checked:
    let
      fromSettings = foldl' (t: s: merge t (util.setPathList s.path s.value)) { } (
        plan.hostSettings checked
      );
      extra = checked.host.extraConfig or { };
      extraTree = if isAttrs extra && !(extra ? _type) then removeAttrs extra [ "imports" ] else { };
    in
    merge fromSettings extraTree;

  report =
    checked:
    classify (getterOf (hostTree checked)) (m: elem m checked.active);

  # Option values of an evaluated NixOS configuration.
  configGetter =
    config: option:
    let
      v = util.getPath config option;
    in
    if util.isUnset v then default option else v;

  serviceOf =
    id:
    if services ? ${id} then
      services.${id}
    else
      throw "lib/ports.toml has no service ${id}\n  fix: add [service.${id}]";

  portsFirewall = p: {
    allowedTCPPorts = p.tcp;
    allowedUDPPorts = p.udp;
    allowedTCPPortRanges = p.tcpRanges;
    allowedUDPPortRanges = p.udpRanges;
  };

  firewall =
    {
      id,
      config,
      tailnetInterface ? "tailscale0",
    }:
    let
      s = serviceOf id;
      get = configGetter config;
      p = portsFirewall (portsOf get s);
      named = concatMap (o: interfacesOf o (get o)) (s.other or [ ]);
      everywhere = elem "*" named;
      interfaces = filter (i: i != "*") named ++ (if s.tailnet or false then [ tailnetInterface ] else [ ]);
    in
    if !(isActive get s) then
      { }
    else
      (if everywhere then p else { })
      // {
        interfaces = listToAttrs (
          map (i: {
            name = i;
            value = p;
          }) (util.unique interfaces)
        );
      };

in
{
  inherit
    report
    firewall
    default
    hostTree
    ;
  # For tests: the classification with an explicit option tree and modules.
  classifyTree = tree: modules: classify (getterOf tree) (m: elem m modules);
}
