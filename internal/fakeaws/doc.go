// Package fakeaws holds in-process fake AWS endpoints for tests. Each fake
// speaks the service's real wire protocol, so the real aws-sdk-go-v2 clients
// talk to it through BaseEndpoint with static credentials:
//
//   - awsJson1_1 (ECS, CloudWatch Logs): POST / with X-Amz-Target
//     "<prefix>.<Operation>", JSON bodies, errors as {"__type": …}.
//   - EC2 query: form-encoded Action=…, XML responses, errors as
//     <Response><Errors><Error><Code>….
//   - S3 REST-XML: path-style bucket/key requests.
//
// Each service has one fake holding data, not one fake per test or per
// operation: [NewECS], [NewLogs], [NewEC2] (instance types, instances,
// subnets, VPCs, network interfaces, flow logs) and the S3 fake. A test
// adds data to them.
//
// Every fake is wrapped by [Server], which injects faults (throttling, 5xx,
// dropped connections, delay) deterministically and records which actions
// were called, so a test can assert exact totals under faults and that an IAM
// policy lists every action the code uses.
package fakeaws
