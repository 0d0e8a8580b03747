package ec2limits

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestFromInfoDefaultCard: the default card's ENIs are the card's own
// entry; with one card, all of them; with several and no entry for the
// default card (only MaximumNetworkCards, or cards listed without it),
// unknown, never the whole type's total.
func TestFromInfoDefaultCard(t *testing.T) {
	card := func(i, n int32) ec2types.NetworkCardInfo {
		return ec2types.NetworkCardInfo{NetworkCardIndex: aws.Int32(i), MaximumNetworkInterfaces: aws.Int32(n)}
	}
	for _, c := range []struct {
		name             string
		ni               ec2types.NetworkInfo
		cards, onDefault int
	}{
		{"one card listed", ec2types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(3), NetworkCards: []ec2types.NetworkCardInfo{card(0, 3)}}, 1, 3},
		{"no card listed", ec2types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(3)}, 1, 3},
		{"four cards listed", ec2types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(60),
			NetworkCards: []ec2types.NetworkCardInfo{card(0, 15), card(1, 15), card(2, 15), card(3, 15)}}, 4, 15},
		{"four cards counted, none listed", ec2types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(60), MaximumNetworkCards: aws.Int32(4)}, 4, 0},
		{"two cards listed, not the default", ec2types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(16), DefaultNetworkCardIndex: aws.Int32(2),
			NetworkCards: []ec2types.NetworkCardInfo{card(0, 8), card(1, 8)}}, 2, 0},
	} {
		it := FromInfo(ec2types.InstanceTypeInfo{InstanceType: "x.large", NetworkInfo: &c.ni})
		if it.NetworkCards != c.cards || it.DefaultCardENIs != c.onDefault {
			t.Errorf("%s: %d cards, %d ENIs on the default card; want %d, %d", c.name, it.NetworkCards, it.DefaultCardENIs, c.cards, c.onDefault)
		}
	}
}
