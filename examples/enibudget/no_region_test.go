package main

import (
	"strings"
	"testing"
)

// TestLiveWithoutRegion: with no AWS Region configured, -cluster failed
// with the SDK's "Invalid region: region was not a valid DNS name"; it
// says what is missing and where to set it (cli.AWSConfig, as every
// program that reads AWS does).
func TestLiveWithoutRegion(t *testing.T) {
	// The SDK falls back to AWS_DEFAULT_REGION (CloudShell, CodeBuild
	// and many a shell set it): liveEnv clears it too.
	t.Setenv("AWS_DEFAULT_REGION", "eu-west-1")
	ecs := liveSampleECS(t)
	liveEnv(t, ecs.URL, ecs.URL)
	t.Setenv("AWS_REGION", "")
	if code, _, stderr := runExit("-cluster", "live", "-q"); code != 1 || !strings.Contains(stderr, "no AWS Region configured: set AWS_REGION") {
		t.Errorf("-cluster without a Region: exit %d, %s", code, stderr)
	}
}
