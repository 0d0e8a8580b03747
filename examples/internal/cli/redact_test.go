package cli

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go"
)

// TestAPIErrorsHideSessionToken: ECS (like every service of the
// JSON and query protocols) answers a request whose signature does not
// match with a message quoting the canonical request it computed, the
// session token's header among its signed headers. The programs print an
// error's text (stderr, CI logs, cron mail): the clients of AWSConfig
// must not carry the token into it.
func TestAPIErrorsHideSessionToken(t *testing.T) {
	const token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+/=="
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
			"The Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:ecs.us-east-1.amazonaws.com\nx-amz-date:20261201T000000Z\n" +
			"x-amz-security-token:" + r.Header.Get("X-Amz-Security-Token") + "\nx-amz-target:" + r.Header.Get("X-Amz-Target") + "\n\n" +
			"content-type;host;x-amz-date;x-amz-security-token;x-amz-target\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\n" +
			"The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261201T000000Z\n20261201/us-east-1/ecs/aws4_request\n0123456789abcdef'\n"
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": "InvalidSignatureException", "message": msg})
	}))
	defer srv.Close()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": token, "AWS_MAX_ATTEMPTS": "1",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
	} {
		t.Setenv(k, v)
	}
	cfg, err := AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = ecs.NewFromConfig(cfg).ListClusters(context.Background(), &ecs.ListClustersInput{})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("the error's text holds the session token:\n%v", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("error %v: want the API error InvalidSignatureException still found", err)
	} else if strings.Contains(ae.ErrorMessage(), token) {
		t.Errorf("the API error's message holds the session token:\n%s", ae.ErrorMessage())
	}
	if !strings.Contains(err.Error(), "x-amz-security-token:[redacted]") {
		t.Errorf("error %v: want the rest of the message kept, the token's value redacted", err)
	}
}
