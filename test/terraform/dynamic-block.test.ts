import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { DefaultTokenResolver, StringConcat, TerraformIterator, Token, Tokenization } from "cdktf";
import { describe, expect, it } from "vitest";
import { dynamicBlock } from "../../src/terraform/dynamic-block.js";
import { expr } from "../../src/terraform/hcl.js";
import { synth, testStack } from "../support/stacks.js";

describe("dynamicBlock", () => {
  it("writes the block where cdktf's iterator.dynamic() writes it, the same JSON", () => {
    // GIVEN two groups, one with cdktf's dynamic block and one with ours, over the same collection
    const stack = testStack();
    const tags = TerraformIterator.fromMap(Token.asStringMap(expr("local.tags")));
    const group = { maxSize: 1, minSize: 0 };
    new AutoscalingGroup(stack, "cdktf", { ...group, tag: tags.dynamic({ key: tags.key, value: tags.value, propagate_at_launch: true }) });
    new AutoscalingGroup(stack, "ours", { ...group, tag: dynamicBlock("local.tags", (each) => ({ key: each.key, value: each.value(), propagate_at_launch: true })) });
    // THEN both synthesize to the same attributes, in the same order
    const groups = synth(stack).resource.aws_autoscaling_group;
    const withoutMetadata = ({ "//": _, ...attributes }: Record<string, unknown>) => attributes;
    expect(JSON.stringify(withoutMetadata(groups.ours))).toBe(JSON.stringify(withoutMetadata(groups.cdktf)));
    expect(groups.ours.dynamic.tag).toEqual({
      for_each: "${local.tags}",
      iterator: "each",
      content: { key: "${each.key}", value: "${each.value}", propagate_at_launch: true },
    });
  });

  it("writes each.value paths, and refuses to be resolved anywhere but as a block attribute", () => {
    // GIVEN a block whose content reads fields of each element
    const block = dynamicBlock("local.hooks", (each) => ({ name: each.key, heartbeat_timeout: each.value("timeout") }));
    const stack = testStack();
    new AutoscalingGroup(stack, "group", { maxSize: 1, minSize: 0, initialLifecycleHook: block });
    // THEN the content reads them as each.value.<field>
    expect(synth(stack).resource.aws_autoscaling_group.group.dynamic.initial_lifecycle_hook.content).toEqual({
      name: "${each.key}",
      heartbeat_timeout: "${each.value.timeout}",
    });
    // AND resolved as a value (not a block attribute) it says so
    const resolver = new DefaultTokenResolver(new StringConcat());
    expect(() => Tokenization.resolve(block, { scope: stack, preparing: false, resolver })).toThrow(
      "a dynamic block (for_each = local.hooks) can only be the value of a block attribute",
    );
  });
});
