# kube-reserved follows the effective max pods: memory = 11 MiB x max pods + 255 MiB.
# A t3a.medium at 110 pods reserves 1465Mi (the AMIs would size it for 17 pods: 442Mi).

mock_provider "aws" {
  source = "./tests/mocks"
}

# One plan of tests/fixtures/kube_reserved, which calls this module once per case.
run "kube_reserved_by_ami_family" {
  command = plan

  module {
    source = "./tests/fixtures/kube_reserved"
  }

  assert {
    condition     = output.kube_reserved.al2_110 == tomap({ cpu = "70m", "ephemeral-storage" = "1Gi", memory = "1465Mi" }) && output.kube_reserved.al2_17 == tomap({ cpu = "70m", "ephemeral-storage" = "1Gi", memory = "442Mi" })
    error_message = "t3a.medium should reserve 1465Mi at 110 pods and 442Mi at 17 (70m CPU, 1Gi storage)"
  }

  # AL2: a kubelet flag inside --kubelet-extra-args.
  assert {
    condition     = strcontains(output.user_data.al2_110, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=1465Mi'")
    error_message = "AL2 at 110 pods should pass --kube-reserved with memory=1465Mi"
  }
  assert {
    condition     = strcontains(output.user_data.al2_17, "--kube-reserved=cpu=70m,ephemeral-storage=1Gi,memory=442Mi'")
    error_message = "AL2 at 17 pods should pass --kube-reserved with memory=442Mi"
  }
  assert {
    condition     = !strcontains(output.user_data.al2_off, "--kube-reserved") && output.kube_reserved.al2_off == null
    error_message = "kube_reserved_follows_max_pods = false should leave kube-reserved to the AMI on AL2"
  }

  # AL2023: kubelet.config.kubeReserved in the nodeadm NodeConfig.
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*)\\n--//--", output.user_data.al2023_110)[0]).spec.kubelet.config.kubeReserved.memory == "1465Mi"
    error_message = "AL2023 at 110 pods should set kubeReserved.memory = 1465Mi"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*)\\n--//--", output.user_data.al2023_17)[0]).spec.kubelet.config.kubeReserved.memory == "442Mi"
    error_message = "AL2023 at 17 pods should set kubeReserved.memory = 442Mi"
  }
  assert {
    condition     = !contains(keys(yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*)\\n--//--", output.user_data.al2023_off)[0]).spec.kubelet.config), "kubeReserved")
    error_message = "kube_reserved_follows_max_pods = false should leave kube-reserved to nodeadm on AL2023"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\\n\\n(.*)\\n--//--", output.user_data.al2023_explicit)[0]).spec.kubelet.config.kubeReserved == { memory = "2Gi", cpu = "100m" }
    error_message = "an explicit kube_reserved should be rendered as given"
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
    condition     = !strcontains(output.user_data.bottlerocket_off, "kube-reserved")
    error_message = "kube_reserved_follows_max_pods = false should leave kube-reserved to Bottlerocket"
  }
}
