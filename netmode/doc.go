// Package netmode models the Amazon ECS task network modes — bridge, host,
// awsvpc, none and Windows' default — as data and rules.
package netmode
