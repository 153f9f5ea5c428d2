# git with delta. The identity comes from the host's user: the name is the
# NixOS account description (users.users.<name>.description, falling back to
# the user name) and the e-mail is axios.user.email, which the NixOS users
# module sets. With no e-mail the identity is left unset.
{
  config,
  lib,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.terminal;
  username = config.home.username;
  email = config.axios.user.email or "";
  description =
    if osConfig == null then "" else osConfig.users.users.${username}.description or "";
  fullName = if description != "" then description else username;
in
{
  config = lib.mkIf cfg.enable {
    programs.git = {
      enable = lib.mkDefault true;
      settings = lib.mkMerge [
        {
          init.defaultBranch = lib.mkDefault "main";
          pull.ff = lib.mkDefault "only";
          push.default = lib.mkDefault "current";
          rebase.autoStash = lib.mkDefault true;
          rerere.enabled = lib.mkDefault true;
          branch.sort = lib.mkDefault "-committerdate";
          status.showUntrackedFiles = lib.mkDefault "all";
          color.ui = lib.mkDefault true;
          diff.colorMoved = lib.mkDefault "default";
          merge.conflictStyle = lib.mkDefault "zdiff3";
          fetch.prune = lib.mkDefault true;
          help.autocorrect = lib.mkDefault 20;

          alias = lib.mapAttrs (_: lib.mkDefault) {
            co = "checkout";
            cob = "!f() { git checkout -b \"$1\"; }; f";
            sw = "switch";
            ci = "commit";
            cia = "commit -a";
            amend = "commit --amend --no-edit";
            st = "status -sb";
            last = "log -1 --stat";
            lg = "log --graph --decorate --oneline --abbrev-commit";
            lga = "log --graph --decorate --oneline --abbrev-commit --all";
            unstage = "reset HEAD --";
            fixup = "commit --fixup";
            wip = "commit -am 'wip'";
          };
        }
        (lib.mkIf (email != "") {
          user.name = lib.mkDefault fullName;
          user.email = lib.mkDefault email;
        })
      ];
    };

    # delta sets core.pager and interactive.diffFilter itself.
    programs.delta = {
      enable = lib.mkDefault true;
      enableGitIntegration = lib.mkDefault true;
      options = lib.mapAttrs (_: lib.mkDefault) {
        navigate = true;
        line-numbers = true;
        side-by-side = true;
        syntax-theme = "Monokai Extended";
        zero-style = "syntax";
        plus-style = "syntax #0c1a12";
        minus-style = "syntax #1a0c0f";
        plus-emph-style = "bold #7fe0b4";
        minus-emph-style = "bold #ff9e9e";
        commit-decoration-style = "bold yellow";
        file-decoration-style = "underline #b3d4ff";
        hunk-header-decoration-style = "blue box";
      };
    };
  };
}
