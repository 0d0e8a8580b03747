// Package netmode models the Amazon ECS task network modes — bridge, host,
// awsvpc, none and Windows' default — as data and rules.
//
//   - Mode and ParseMode read a task definition's networkMode (the empty
//     string is bridge on Linux and default on Windows); OSFamilyOf reads
//     runtimePlatform.operatingSystemFamily.
//   - PlanPorts says which host ports one copy of a task takes on a
//     container instance and how many copies fit there by ports alone.
//
// The facts behind the rules are AWS's documented behaviour; comments cite
// the ECS Developer Guide ([DG]), the ECS API reference ([API]) and the ECS
// container agent ([AGENT]) where a rule is not obvious.
package netmode
