// Package flowlogs is a streaming VPC Flow Log parser.
package flowlogs
