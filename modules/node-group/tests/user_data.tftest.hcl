# User data per AMI family, all driven by the same effective max pods.

mock_provider "aws" {
  source = "./mocks"
}

# One plan of tests/fixtures/cases, which calls this module once per case below.
run "user_data_by_ami_family" {
  command = plan

  module {
    source = "./tests/fixtures/cases"
  }

  variables {
    cases = {
      article_al2   = { ami_type = "AL2_x86_64", kubelet_extra_args = "--max-pods=110", use_max_pods = false }
      al2_automatic = { ami_type = "AL2_x86_64" }
      al2023        = { ami_type = "AL2023_x86_64_STANDARD", kubelet_extra_args = "--node-labels=role=worker,team=sre --register-with-taints=dedicated=sre:NoSchedule" }
      bottlerocket  = { ami_type = "BOTTLEROCKET_x86_64" }
    }
  }

  # The article's inputs on AL2: kubelet_extra_args = "--max-pods=110", use_max_pods = false.
  assert {
    condition     = startswith(output.user_data.article_al2, "#!/bin/bash\n") && strcontains(output.user_data.article_al2, "/etc/eks/bootstrap.sh 'sre-test'")
    error_message = "AL2 user data should be a shell script calling bootstrap.sh with the quoted cluster name"
  }
  assert {
    condition     = strcontains(output.user_data.article_al2, "--use-max-pods false")
    error_message = "AL2 user data should carry --use-max-pods false"
  }
  assert {
    condition     = strcontains(output.user_data.article_al2, "--kubelet-extra-args '--max-pods=110")
    error_message = "AL2 user data should carry --kubelet-extra-args '--max-pods=110...'"
  }
  assert {
    condition     = length(regexall("--max-pods", output.user_data.article_al2)) == 1
    error_message = "--max-pods should appear exactly once in the article's user data"
  }
  assert {
    condition     = output.max_pods.article_al2 == 110
    error_message = "the article's --max-pods=110 should be the effective max pods, got ${output.max_pods.article_al2}"
  }
  assert {
    condition     = strcontains(output.user_data.article_al2, "--apiserver-endpoint 'https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com'") && strcontains(output.user_data.article_al2, "--b64-cluster-ca 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=='") && strcontains(output.user_data.article_al2, "--dns-cluster-ip '10.100.0.10'")
    error_message = "AL2 user data should pass the endpoint, CA and cluster DNS IP, quoted"
  }

  # AL2 without a flag of the user's: the module passes the automatic value itself.
  assert {
    condition     = strcontains(output.user_data.al2_automatic, "--use-max-pods false") && strcontains(output.user_data.al2_automatic, "--kubelet-extra-args '--max-pods=110 ")
    error_message = "AL2 user data should pass --max-pods=110 itself when kubelet_extra_args has none"
  }
  assert {
    condition     = length(regexall("--max-pods", output.user_data.al2_automatic)) == 1
    error_message = "--max-pods should appear exactly once in the user data"
  }

  # AL2023: a MIME document with one nodeadm NodeConfig.
  assert {
    condition     = startswith(output.user_data.al2023, "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"//\"\n")
    error_message = "AL2023 user data should be a MIME multipart document"
  }
  assert {
    condition = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.user_data.al2023)[0]) == {
      apiVersion = "node.eks.aws/v1alpha1"
      kind       = "NodeConfig"
      spec = {
        cluster = {
          name                 = "sre-test"
          apiServerEndpoint    = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com"
          certificateAuthority = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
          cidr                 = "10.100.0.0/16"
        }
        kubelet = {
          config = {
            maxPods      = 110
            kubeReserved = { cpu = "70m", "ephemeral-storage" = "1Gi", memory = "1465Mi" }
          }
          flags = ["--node-labels=role=worker,team=sre", "--register-with-taints=dedicated=sre:NoSchedule"]
        }
      }
    }
    error_message = "the NodeConfig should hold the cluster, maxPods 110, kube-reserved and the user's flags"
  }

  # Bottlerocket: TOML settings.
  assert {
    condition     = strcontains(output.user_data.bottlerocket, "[settings.kubernetes]\n") && strcontains(output.user_data.bottlerocket, "\nmax-pods = 110\n")
    error_message = "Bottlerocket settings should set max-pods = 110 for t3a.medium"
  }
  assert {
    condition     = strcontains(output.user_data.bottlerocket, "cluster-name = \"sre-test\"\n") && strcontains(output.user_data.bottlerocket, "cluster-dns-ip = \"10.100.0.10\"\n")
    error_message = "Bottlerocket settings should name the cluster and its DNS IP"
  }
}

# Custom networking moves pods to other subnets without changing max pods on a t3a.medium with prefixes (110 either
# way, (3 - 1) x 5 x 16 + 2 = 162 capped): the user data still changes, so the launch template gets a new version and
# the instance refresh replaces nodes whose interfaces are in the old subnets. The change is one comment line.
run "custom_networking_changes_the_user_data_at_the_same_max_pods" {
  command = plan

  module {
    source = "./tests/fixtures/cases"
  }

  variables {
    cases = {
      al2_off          = { ami_type = "AL2_x86_64" }
      al2_on           = { ami_type = "AL2_x86_64", custom_networking = true }
      al2023_off       = { ami_type = "AL2023_x86_64_STANDARD" }
      al2023_on        = { ami_type = "AL2023_x86_64_STANDARD", custom_networking = true }
      bottlerocket_off = { ami_type = "BOTTLEROCKET_x86_64" }
      bottlerocket_on  = { ami_type = "BOTTLEROCKET_x86_64", custom_networking = true }
    }
  }

  assert {
    condition     = alltrue([for family in ["al2", "al2023", "bottlerocket"] : output.max_pods["${family}_on"] == 110 && output.max_pods["${family}_off"] == 110])
    error_message = "a t3a.medium with prefixes should get 110 pods with and without custom networking, got ${jsonencode(output.max_pods)}"
  }
  assert {
    condition     = alltrue([for family in ["al2", "al2023", "bottlerocket"] : output.user_data["${family}_on"] != output.user_data["${family}_off"]])
    error_message = "turning custom networking on should change the user data of every AMI family, even at the same max pods"
  }
  assert {
    condition     = alltrue([for family in ["al2", "al2023", "bottlerocket"] : replace(output.user_data["${family}_on"], "# eks-pod-density: VPC CNI custom networking: pods take addresses from the ENIConfig subnet of this node's zone\n", "") == output.user_data["${family}_off"]])
    error_message = "the only difference should be the custom networking comment line"
  }
  assert {
    condition     = alltrue([for family in ["al2", "al2023", "bottlerocket"] : !strcontains(output.user_data["${family}_off"], "custom networking")])
    error_message = "without custom networking the user data should not mention it (existing configurations keep their user data)"
  }
  assert {
    condition     = yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.user_data.al2023_on)[0]) == yamldecode(regex("(?s)Content-Type: application/node.eks.aws\n\n(.*?)\n--//", output.user_data.al2023_off)[0])
    error_message = "the comment should leave the AL2023 NodeConfig nodeadm reads as it was"
  }
  assert {
    condition     = startswith(output.user_data.al2_on, "#!/bin/bash\n")
    error_message = "the AL2 script should still start with its shebang line"
  }
}
