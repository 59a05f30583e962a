# Applies the fixture with mocked AWS once; test/terraform.test.ts turns the printed state into terraform.tfstate.

mock_provider "aws" {
  source = "../../../modules/node-group/mocks"
}

run "state" {
  command = apply
}
