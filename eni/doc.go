// Package eni computes ENI budgets for awsvpc tasks: per instance type, per
// container instance and per cluster.
package eni
