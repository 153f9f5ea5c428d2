# What the real modules open (through the builtins-only module harness,
# tests/fixtures/modules/eval.nix) against what lib/core/exposure.nix
# reports, for one TOML host, in one comparable shape:
#   { tailnet = ports; lan.<interface> = ports; everywhere = ports;
#     upstream.<option> = bool; }
# ports = { tcp; udp; tcpRanges; udpRanges; } sorted, ranges as "from-to".
# modules/desktop is left out (the harness does not evaluate it; its own
# tests check its firewall), and so are its services.
let
  # outside the function: one core for every host evaluated in a process
  core = import ../../lib/core { };
  h = import ../fixtures/modules/eval.nix;
in
{ file, name }:
let
  inherit (builtins)
    attrNames
    concatMap
    elem
    filter
    foldl'
    isAttrs
    listToAttrs
    map
    sort
    ;
  checked = core.checkHost {
    host = builtins.fromTOML (builtins.readFile (../.. + "/${file}"));
    inherit name;
    form = "toml";
  };
  folders = [
    "networking"
    "services"
    "gaming"
    "ai"
  ];
  active = filter (n: elem n folders) checked.active;
  c = h.folders {
    names = active;
    host = core.exposure.hostTree checked;
  };
  present = x: !(isAttrs x && (x._type or "") == "absent");
  val = x: if present x then x else null;
  uniq = l: attrNames (listToAttrs (map (x: { name = toString x; value = null; }) l));
  sortInts = l: sort (a: b: a < b) (map builtins.fromJSON (uniq l));
  rangeStr = r: "${toString r.from}-${toString r.to}";
  norm = p: {
    tcp = sortInts (p.tcp or [ ]);
    udp = sortInts (p.udp or [ ]);
    tcpRanges = uniq (map rangeStr (p.tcpRanges or [ ]));
    udpRanges = uniq (map rangeStr (p.udpRanges or [ ]));
  };
  fromFirewall =
    f:
    let
      g = k: if present (f.${k} or [ ]) then f.${k} or [ ] else [ ];
    in
    norm {
      tcp = g "allowedTCPPorts";
      udp = g "allowedUDPPorts";
      tcpRanges = g "allowedTCPPortRanges";
      udpRanges = g "allowedUDPPortRanges";
    };
  union =
    entries:
    norm (
      foldl'
        (acc: e: {
          tcp = acc.tcp ++ e.tcp;
          udp = acc.udp ++ e.udp;
          tcpRanges = acc.tcpRanges ++ e.tcpRanges;
          udpRanges = acc.udpRanges ++ e.udpRanges;
        })
        {
          tcp = [ ];
          udp = [ ];
          tcpRanges = [ ];
          udpRanges = [ ];
        }
        entries
    );

  fw = val (c.networking.firewall or null);
  ifaces = if fw != null && present (fw.interfaces or { }) then fw.interfaces or { } else { };
  services = core.ports.service;
  modulesOf = filter (id: elem services.${id}.module active) (attrNames services);
  upstreamOptions = concatMap (id: services.${id}.otherUpstream or [ ]) modulesOf;
  # The nixpkgs module behind an otherUpstream option opens its ports only
  # when its service runs: the service's `when` must hold in the config.
  runs =
    id:
    let
      w = services.${id}.when or { };
      has =
        o: want:
        let
          v0 = getC o;
          v = if v0 == null then core.exposure.default o else v0;
        in
        if builtins.isList want then elem v want else v == want;
    in
    builtins.all (o: has o w.${o}) (attrNames w);
  serviceOfOption = o: builtins.head (filter (id: elem o (services.${id}.otherUpstream or [ ])) modulesOf);
  getC =
    o:
    foldl' (v: k: if v != null && isAttrs v && present v && v ? ${k} then val v.${k} else null) c (
      filter builtins.isString (builtins.split "\\." o)
    );

  report = core.exposure.report checked;
  mine = e: elem e.module active;
  axiosOther = filter (e: mine e && !(elem e.askedBy upstreamOptions)) report.other;
  lanNames = uniq (concatMap (e: filter (i: i != "*") e.interfaces) axiosOther);
in
{
  modules = {
    tailnet = fromFirewall (ifaces.tailscale0 or { });
    lan = listToAttrs (
      map (i: {
        name = i;
        value = fromFirewall ifaces.${i};
      }) (filter (i: i != "tailscale0") (attrNames ifaces))
    );
    everywhere = if fw == null then norm { } else fromFirewall fw;
    upstream = listToAttrs (
      map (o: {
        name = o;
        value = runs (serviceOfOption o) && getC o == true;
      }) upstreamOptions
    );
  };
  report = {
    tailnet = union (filter mine report.tailnet);
    lan = listToAttrs (
      map (i: {
        name = i;
        value = union (filter (e: elem i e.interfaces) axiosOther);
      }) lanNames
    );
    everywhere = union (filter (e: elem "*" e.interfaces) axiosOther);
    upstream = listToAttrs (
      map (o: {
        name = o;
        value = builtins.any (e: e.askedBy == o && mine e) report.other;
      }) upstreamOptions
    );
  };
}
