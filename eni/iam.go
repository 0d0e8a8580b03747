package eni

import "github.com/ecsnet/ecsnet/iampolicy"

// IAMPolicy returns the minimum read-only IAM policy for eni's live paths:
// [ReadCluster] (package ecsread's list and describe calls) and package
// ec2limits. Tests check that these actions are enough and that each one
// is needed. The statements come from package iampolicy, where every
// action the module calls is written down once.
func IAMPolicy() string {
	return iampolicy.JSON(iampolicy.ECSReadCluster(), iampolicy.EC2InstanceTypes())
}

// IAMActions lists the actions in [IAMPolicy], sorted.
func IAMActions() []string {
	return iampolicy.Actions(iampolicy.ECSReadCluster(), iampolicy.EC2InstanceTypes())
}
