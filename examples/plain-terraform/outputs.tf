output "max_pods" {
  description = "Effective max pods per node."
  value       = module.node_group.max_pods
}

output "autoscaling_group_name" {
  description = "Name of the nodes' Auto Scaling group."
  value       = module.node_group.autoscaling_group_name
}

output "vpc_cni_addon_version" {
  description = "The vpc-cni add-on version installed."
  value       = module.vpc_cni.addon_version
}

output "vpc_cni_configuration_values" {
  description = "The JSON sent to EKS as the add-on's configuration values."
  value       = module.vpc_cni.configuration_values
}

output "termination_queue_url" {
  description = "SQS queue for aws-node-termination-handler in queue mode (helm --set queueURL=...)."
  value       = module.node_group.termination_queue_url
}

output "termination_handler_policy_json" {
  description = "IAM policy for aws-node-termination-handler's role."
  value       = module.node_group.termination_handler_policy_json
}

output "aws_auth_map_role" {
  description = "The aws-auth mapRoles entry for the nodes (clusters in CONFIG_MAP authentication mode)."
  value       = module.node_group.aws_auth_map_role
}

output "warnings" {
  description = "Settings that work but may surprise (e.g. Amazon Linux 2 past end of support)."
  value       = module.node_group.warnings
}
