package cwlogs

// Limits are request rates, in requests per second, for the three calls a
// [Source] makes. A zero (or negative) rate means no client-side limit for
// that call.
type Limits struct {
	FilterLogEvents    float64
	GetLogEvents       float64
	DescribeLogStreams float64
}

// Scale multiplies every rate by f.
func (l Limits) Scale(f float64) Limits {
	return Limits{l.FilterLogEvents * f, l.GetLogEvents * f, l.DescribeLogStreams * f}
}

// Quotas returns CloudWatch Logs' documented default per-account, per-Region
// throttle limits for region ("CloudWatch Logs quotas",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html):
//
//   - FilterLogEvents: 25/s in us-east-1; 5/s in ap-northeast-3,
//     ap-southeast-3, ca-west-1, eu-central-1, il-central-1; 10/s elsewhere.
//     Not adjustable.
//   - GetLogEvents: 10/s in us-west-2, ap-northeast-3, ap-southeast-3,
//     ca-west-1, eu-central-1, eu-west-1, il-central-1; 30/s in eu-west-3;
//     25/s elsewhere. Not adjustable.
//   - DescribeLogStreams: 25/s (adjustable through Service Quotas,
//     L-3F243AD0).
//
// The quotas are shared by every caller in the account and Region (consoles,
// agents, other tools), which is why [DefaultLimits] uses a share of them.
func Quotas(region string) Limits {
	l := Limits{FilterLogEvents: 10, GetLogEvents: 25, DescribeLogStreams: 25}
	switch region {
	case "us-east-1":
		l.FilterLogEvents = 25
	case "ap-northeast-3", "ap-southeast-3", "ca-west-1", "eu-central-1", "il-central-1":
		l.FilterLogEvents = 5
	}
	switch region {
	case "us-west-2", "ap-northeast-3", "ap-southeast-3", "ca-west-1", "eu-central-1", "eu-west-1", "il-central-1":
		l.GetLogEvents = 10
	case "eu-west-3":
		l.GetLogEvents = 30
	}
	return l
}

// DefaultQuotaShare is the part of each documented quota a [Source] uses by
// default, leaving headroom for other callers in the same account.
const DefaultQuotaShare = 0.8

// DefaultLimits is Quotas(region) scaled by [DefaultQuotaShare]: the rates a
// Source uses unless [WithRateLimits] says otherwise.
func DefaultLimits(region string) Limits { return Quotas(region).Scale(DefaultQuotaShare) }
