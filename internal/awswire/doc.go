// Package awswire converts between aws-sdk-go-v2 shape structs (the
// service packages' types and operation outputs) and the JSON that AWS
// speaks and prints: the awsJson wire protocol, the AWS CLI's
// `--output json`, and EventBridge event details.
//
// The SDK's own (de)serializers are bound to its HTTP pipeline, and Go's
// encoding/json does not know AWS's naming (lowerCamel member names) or
// timestamp forms, so a small reflection-based codec does it:
//
//   - member name = the Go field name with its first letter lower-cased
//     ("TaskDefinitionArn" ↔ "taskDefinitionArn"), matched case-insensitively
//     when decoding;
//   - timestamps are written as epoch seconds (the awsJson default) and read
//     from epoch seconds or milliseconds, or ISO 8601 strings (the CLI and
//     EventBridge);
//   - nil pointers, slices and maps are omitted;
//   - unknown members are ignored, so data written by a newer API version
//     still loads;
//   - a value of the wrong type is an *Error naming the member path
//     ("containerDefinitions[1].portMappings[0].hostPort") and the line and
//     column in the input; the values it quotes are cut to 40 bytes, so a
//     megabyte number makes a short message;
//   - a member given twice in one object is an *Error at the second one,
//     never "last one wins";
//   - a leading UTF-8 byte-order mark is skipped ([TrimBOM] does it for
//     callers that look at the text first).
package awswire
