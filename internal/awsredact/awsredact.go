// Package awsredact keeps credentials out of the AWS errors a program
// prints or logs. A request whose signature does not match is answered,
// by the services of the JSON and query protocols (ECS, CloudWatch Logs,
// STS…), with a message that quotes the canonical request the service
// computed, its signed headers with their values: the session token
// (x-amz-security-token) among them. The SDK keeps that message as the
// error's, and err.Error() says it whole. (S3 puts its StringToSign and
// CanonicalRequest in elements of their own, which the SDK drops.)
package awsredact

import (
	"context"
	"errors"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// secret matches what may sign or authorize a request: the session token
// as a header of a canonical request (x-amz-security-token:VALUE) or as a
// query parameter of one or of a presigned URL (X-Amz-Security-Token=VALUE),
// and a signature (Signature=, X-Amz-Signature=). Group 1 is the name and
// separator, kept; the value is replaced.
var secret = regexp.MustCompile(`(?i)(x-amz-security-token\s*[:=]\s*|(?:x-amz-)?signature\s*=\s*)[^\s'"&,;\\]+`)

// Redacted is what a secret's value is replaced with.
const Redacted = "[redacted]"

// String returns s with the value of every session token and signature
// replaced by [Redacted].
func String(s string) string {
	return secret.ReplaceAllString(s, "${1}"+Redacted)
}

// Config makes every client built from cfg redact its API errors: their
// message (smithy.GenericAPIError's, what an error the service model does
// not name becomes) loses the secrets [String] replaces, and any other
// error whose text holds one is wrapped so that its Error() does not say
// it (errors.As and errors.Is still find what it wraps).
func Config(cfg *aws.Config) {
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("ecsnetRedactErrors",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				return out, md, Error(err)
			}), middleware.Before)
	})
}

// Error returns err with its secrets redacted, as Config does.
func Error(err error) error {
	if err == nil {
		return nil
	}
	var ge *smithy.GenericAPIError
	if errors.As(err, &ge) {
		ge.Message = String(ge.Message)
	}
	if s := err.Error(); String(s) != s {
		return &redacted{err}
	}
	return err
}

// redacted is an error whose text is its cause's, redacted.
type redacted struct{ err error }

func (r *redacted) Error() string { return String(r.err.Error()) }
func (r *redacted) Unwrap() error { return r.err }
