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
