package mcp

import (
	"strings"
	"testing"
)

func TestJournalFlagsExclude(t *testing.T) {
	cmd := Command()
	cmd.SetArgs([]string{"--journal-directory", "/a", "--journal-file", "/b"})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "exclude each other") {
		t.Errorf("both journal flags: %v", err)
	}
	cmd = Command()
	cmd.SetArgs([]string{"extra"})
	if err := cmd.Execute(); err == nil {
		t.Error("positional argument accepted")
	}
}

func TestToolTimeoutFlag(t *testing.T) {
	cmd := Command()
	cmd.SetArgs([]string{"--tool-timeout", "0s"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--tool-timeout") {
		t.Errorf("zero timeout: %v", err)
	}
}
