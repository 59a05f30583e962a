variable "region" {
  type        = string
  description = "AWS region of the cluster."
  default     = "ap-northeast-1"
}

variable "cluster_name" {
  type        = string
  description = "Name of the existing EKS cluster."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the nodes (with room for /28 prefixes)."
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the nodes."
  default     = "t3a.medium"
}

variable "ami_type" {
  type        = string
  description = "AMI type of the nodes (see modules/node-group)."
  default     = "AL2_x86_64"
}

variable "kubelet_extra_args" {
  type        = string
  description = "Extra kubelet flags, as in the article."
  default     = "--max-pods=110"
}

variable "use_max_pods" {
  type        = bool
  description = "AL2 bootstrap.sh --use-max-pods, as in the article."
  default     = false
}

variable "custom_networking" {
  type        = bool
  description = "VPC CNI custom networking (pods take addresses from per-zone ENIConfig subnets): needs eni_configs."
  default     = false
}

variable "eni_configs" {
  type        = map(object({ subnet_id = string, security_group_ids = optional(list(string), []) }))
  description = "With custom_networking: the pod subnet of each availability zone of the nodes, keyed by the zone's name."
  default     = {}
}

variable "tags" {
  type        = map(string)
  description = "Tags for the nodes (instances, volumes, network interfaces) and every resource of the node group."
  default     = {}
}
