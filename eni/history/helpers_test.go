package history

import (
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func ptr[T any](v T) *T { return &v }

func kv(name, value string) types.KeyValuePair {
	return types.KeyValuePair{Name: ptr(name), Value: ptr(value)}
}

const (
	cluster = "arn:aws:ecs:us-east-1:111122223333:cluster/prod"
	ciA     = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/aaaa"
)

func taskARN(id string) string { return "arn:aws:ecs:us-east-1:111122223333:task/prod/" + id }

// awsvpcTask is a task as DescribeTasks reports it once its ENI is attached.
func awsvpcTask(id, eni, ip string, created, stopped int) types.Task {
	t := types.Task{
		TaskArn:              ptr(taskARN(id)),
		ClusterArn:           ptr(cluster),
		Group:                ptr("service:web"),
		TaskDefinitionArn:    ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/web:7"),
		LaunchType:           types.LaunchTypeEc2,
		ContainerInstanceArn: ptr(ciA),
		AvailabilityZone:     ptr("us-east-1a"),
		LastStatus:           ptr("RUNNING"),
		DesiredStatus:        ptr("RUNNING"),
		Version:              3,
		CreatedAt:            ptr(at(created)),
		StartedAt:            ptr(at(created + 1)),
		Attachments: []types.Attachment{{
			Id: ptr("att-" + id), Type: ptr("ElasticNetworkInterface"), Status: ptr("ATTACHED"),
			Details: []types.KeyValuePair{
				kv("subnetId", "subnet-1"), kv("networkInterfaceId", eni),
				kv("macAddress", "0a:00:00:00:00:01"), kv("privateDnsName", "ip-x.ec2.internal"),
				kv("privateIPv4Address", ip),
			},
		}},
		Containers: []types.Container{{Name: ptr("app"), NetworkInterfaces: []types.NetworkInterface{{
			AttachmentId: ptr("att-" + id), PrivateIpv4Address: ptr(ip),
		}}}},
	}
	if stopped >= 0 {
		t.LastStatus, t.DesiredStatus = ptr("STOPPED"), ptr("STOPPED")
		t.Version = 6
		t.ExecutionStoppedAt = ptr(at(stopped))
		t.StoppedAt = ptr(at(stopped + 1))
		t.Attachments[0].Status = ptr("DELETED")
	}
	return t
}

// bridgeTask is a bridge-mode task with one dynamic TCP host port.
func bridgeTask(id string, hostPort int32, created, stopped int) types.Task {
	t := types.Task{
		TaskArn:              ptr(taskARN(id)),
		ClusterArn:           ptr(cluster),
		Group:                ptr("service:legacy"),
		TaskDefinitionArn:    ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/legacy:2"),
		LaunchType:           types.LaunchTypeEc2,
		ContainerInstanceArn: ptr(ciA),
		LastStatus:           ptr("RUNNING"),
		DesiredStatus:        ptr("RUNNING"),
		Version:              2,
		CreatedAt:            ptr(at(created)),
		Containers: []types.Container{{Name: ptr("app"), NetworkBindings: []types.NetworkBinding{
			{BindIP: ptr("0.0.0.0"), ContainerPort: ptr(int32(8080)), HostPort: ptr(hostPort), Protocol: types.TransportProtocolTcp},
			{BindIP: ptr("::"), ContainerPort: ptr(int32(8080)), HostPort: ptr(hostPort), Protocol: types.TransportProtocolTcp},
		}}},
	}
	if stopped >= 0 {
		t.LastStatus, t.DesiredStatus = ptr("STOPPED"), ptr("STOPPED")
		t.Version = 5
		t.StoppedAt = ptr(at(stopped))
	}
	return t
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
