package cli

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestAWSConfigNoRegion: without a Region every AWS read failed with the
// SDK's "Invalid region: region was not a valid DNS name"; the programs
// say what is missing and where to set it.
func TestAWSConfigNoRegion(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true"} {
		t.Setenv(k, v)
	}
	if _, err := AWSConfig(context.Background()); !errors.Is(err, ErrNoRegion) {
		t.Errorf("no Region: %v, want ErrNoRegion", err)
	}
	t.Setenv("AWS_REGION", "eu-west-1")
	if cfg, err := AWSConfig(context.Background()); err != nil || cfg.Region != "eu-west-1" {
		t.Errorf("AWS_REGION eu-west-1: %q, %v", cfg.Region, err)
	}
}
