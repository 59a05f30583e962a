# kube-reserved follows the effective max pods: memory = 11 MiB x max pods + 255 MiB.
# A t3a.medium at 110 pods reserves 1465Mi (the AMIs would size it for 17 pods: 442Mi).
# The output kube_reserved is the whole map the kubelet gets; a partial kube_reserved keeps the rest.

mock_provider "aws" {
  source = "./mocks"
}

# One plan of tests/fixtures/cases, which calls this module once per case below.
run "kube_reserved_by_ami_family" {
  command = plan

  module {
    source = "./tests/fixtures/cases"
  }

  variables {
    kubernetes_version = "1.32" # AL2 cases: its last AMIs
    cases = {
      al2_110              = { ami_type = "AL2_x86_64" }
      al2_17               = { ami_type = "AL2_x86_64", enable_prefix_delegation = false }
      al2_off              = { ami_type = "AL2_x86_64", kube_reserved_follows_max_pods = false }
      al2023_110           = { ami_type = "AL2023_x86_64_STANDARD" }
      al2023_17            = { ami_type = "AL2023_x86_64_STANDARD", enable_prefix_delegation = false }
      al2023_off           = { ami_type = "AL2023_x86_64_STANDARD", kube_reserved_follows_max_pods = false }
      bottlerocket_110     = { ami_type = "BOTTLEROCKET_x86_64" }
      bottlerocket_17      = { ami_type = "BOTTLEROCKET_x86_64", enable_prefix_delegation = false }
      bottlerocket_off     = { ami_type = "BOTTLEROCKET_x86_64", kube_reserved_follows_max_pods = false }
      al2023_explicit      = { ami_type = "AL2023_x86_64_STANDARD", kube_reserved = { memory = "2Gi", cpu = "100m" } }
      al2_partial          = { ami_type = "AL2_x86_64", kube_reserved = { memory = "1500Mi" } }
      al2023_partial       = { ami_type = "AL2023_x86_64_STANDARD", kube_reserved = { memory = "1500Mi" } }
      bottlerocket_partial = { ami_type = "BOTTLEROCKET_x86_64", kube_reserved = { memory = "1500Mi" } }
      al2_off_partial      = { ami_type = "AL2_x86_64", kube_reserved_follows_max_pods = false, kube_reserved = { pid = "1000" } }
    }
  }

  assert {
    condition     = output.kube_reserved.al2_110 == tomap({ cpu = "70m", "ephemeral-storage" = "1Gi", memory = "1465Mi" }) && output.kube_reserved.al2_17 == tomap({ cpu = "70m", "ephemeral-storage" = "1Gi", memory = "442Mi" })
    error_message = "t3a.medium should reserve 1465Mi at 110 pods and 442Mi at 17 (70m CPU, 1Gi storage)"
  }

  # AL2: a kubelet flag inside --kubelet-extra-args, always the whole map (the flag replaces the AMI's map).
  assert {
    condition     = strcontains(output.user_data.al2_110, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=1465Mi'")
    error_message = "AL2 at 110 pods should pass --kube-reserved with memory=1465Mi"
  }
  assert {
    condition     = strcontains(output.user_data.al2_17, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=442Mi'")
    error_message = "AL2 at 17 pods should pass --kube-reserved with memory=442Mi"
  }
  assert {
    condition     = !strcontains(output.user_data.al2_off, "--kube-reserved") && output.kube_reserved.al2_off == tomap({ cpu = "70m", "ephemeral-storage" = "1Gi", memory = "442Mi" })
    error_message = "kube_reserved_follows_max_pods = false leaves kube-reserved to bootstrap.sh, which sizes it for the 17 pods of eni-max-pods.txt: the output should say 442Mi"
  }
  assert {
    condition     = strcontains(output.user_data.al2_partial, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=1500Mi'") && output.kube_reserved.al2_partial.cpu == "70m"
    error_message = "a partial kube_reserved on AL2 should keep cpu and ephemeral-storage in the flag, got ${output.user_data.al2_partial}"
  }
  assert {
    condition     = strcontains(output.user_data.al2_off_partial, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=442Mi,pid=1000'")
    error_message = "a partial kube_reserved without following max pods should keep the AMI's values for the other keys"
  }

  # AL2023: kubelet.config.kubeReserved in the nodeadm NodeConfig.
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*?)\\n--//", output.user_data.al2023_110)[0]).spec.kubelet.config.kubeReserved.memory == "1465Mi"
    error_message = "AL2023 at 110 pods should set kubeReserved.memory = 1465Mi"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*?)\\n--//", output.user_data.al2023_17)[0]).spec.kubelet.config.kubeReserved.memory == "442Mi"
    error_message = "AL2023 at 17 pods should set kubeReserved.memory = 442Mi"
  }
  assert {
    condition     = !contains(keys(yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*?)\\n--//", output.user_data.al2023_off)[0]).spec.kubelet.config), "kubeReserved")
    error_message = "kube_reserved_follows_max_pods = false should leave kube-reserved to nodeadm on AL2023"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*?)\\n--//", output.user_data.al2023_explicit)[0]).spec.kubelet.config.kubeReserved == { memory = "2Gi", cpu = "100m", "ephemeral-storage" = "1Gi" }
    error_message = "an explicit kube_reserved should replace its keys and keep ephemeral-storage"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*?)\\n--//", output.user_data.al2023_partial)[0]).spec.kubelet.config.kubeReserved == { memory = "1500Mi", cpu = "70m", "ephemeral-storage" = "1Gi" }
    error_message = "a partial kube_reserved on AL2023 should render the whole merged map"
  }

  # Bottlerocket: [settings.kubernetes.kube-reserved].
  assert {
    condition     = strcontains(output.user_data.bottlerocket_110, "[settings.kubernetes.kube-reserved]\ncpu = \"70m\"\nephemeral-storage = \"1Gi\"\nmemory = \"1465Mi\"\n")
    error_message = "Bottlerocket at 110 pods should set kube-reserved memory = \"1465Mi\""
  }
  assert {
    condition     = strcontains(output.user_data.bottlerocket_17, "memory = \"442Mi\"")
    error_message = "Bottlerocket at 17 pods should set kube-reserved memory = \"442Mi\""
  }
  assert {
    condition     = !strcontains(output.user_data.bottlerocket_off, "kube-reserved") && output.kube_reserved.bottlerocket_off.memory == "1465Mi"
    error_message = "Bottlerocket sizes its own kube-reserved from settings.kubernetes.max-pods (110 here): the output should say 1465Mi"
  }
  assert {
    condition     = strcontains(output.user_data.bottlerocket_partial, "[settings.kubernetes.kube-reserved]\ncpu = \"70m\"\nephemeral-storage = \"1Gi\"\nmemory = \"1500Mi\"\n")
    error_message = "a partial kube_reserved on Bottlerocket should render the whole merged map"
  }
}

# Bottlerocket's settings model accepts only cpu, memory and ephemeral-storage: pid would stop the node from booting.
run "pid_is_refused_on_bottlerocket" {
  command = plan

  variables {
    ami_type      = "BOTTLEROCKET_x86_64"
    kube_reserved = { pid = "1000" }
  }

  expect_failures = [aws_launch_template.this]
}

variables {
  cluster_name                       = "sre-test"
  cluster_endpoint                   = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
  cluster_service_cidr               = "10.100.0.0/16"
  kubernetes_version                 = "1.33"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  security_group_ids                 = ["sg-0123456789abcdef0"]
}
