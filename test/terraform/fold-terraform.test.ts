import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { rootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { foldTerraform } from "../../src/terraform/fold-terraform.js";
import { testApp, unfoldedTerraform, type Synth } from "../support/stacks.js";

const SHIPPED = loadEnvironments("environments");
const TEST_ONLY = loadEnvironments("test/terraform/environments");

/** Sub-expressions a hand-written stack would not have: each is known at synthesis. */
const LEFTOVERS: readonly [string, RegExp][] = [
  ["null == null", /null\s*[!=]=\s*null/],
  ["coalesce(null, ...)", /coalesce\(\s*null\b/],
  ["merge({}, ...) or merge(..., {})", /merge\(\s*\{\s*\}|,\s*\{\s*\}\s*\)/],
  ["concat([], ...) or concat(..., [])", /concat\(\s*\[\s*\]|,\s*\[\s*\]\s*\)/],
  ["!true, !false", /!\s*(true|false)\b/],
  ["a literal condition", /\b(true|false)\s*\?/],
  ["true || x, false && x", /\btrue\s*\|\||\bfalse\s*&&|\|\|\s*true\b|&&\s*false\b/],
  ['"node_role" == ...', /"node_role"\s*[!=]=/],
  ["a comparison of two literals", /(?:"[^"$\\]*"|\b\d+\b|\btrue\b|\bfalse\b|\bnull\b)\s*(?:==|!=|<=|>=|<|>)\s*(?:"[^"$\\]*"|\b\d+(?![\w.])|\btrue\b|\bfalse\b|\bnull\b)/],
  ["a parenthesized literal", /\(\s*(?:"[^"$\\]*"|\d+|true|false|null)\s*\)/],
  ["tostring of a literal", /tostring\(\s*(?:"[^"]*"|\d+|true|false|null)\s*\)/],
  ["a count that is an expression of literals", /"count":\s*"\$\{[^a-z]*\}"/],
];

/** What `npm run synth` writes for each environment: the folded root stacks. */
function synthesized(environments = SHIPPED): [string, Synth][] {
  return rootStacks(testApp(), environments).map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as Synth]);
}

describe("the synthesized root stacks", () => {
  const stacks = synthesized();

  it.each(LEFTOVERS)("hold no %s", (_what, pattern) => {
    // GIVEN the stacks `npm run synth` writes (article, default and any environment a user added) WHEN searched for
    // constant-folded leftovers
    expect(stacks.map(([name]) => name)).toEqual(expect.arrayContaining(["article", "default"]));
    for (const [name, tf] of stacks) {
      const text = JSON.stringify(tf, null, 2);
      // THEN there are none
      expect(text.match(pattern)?.[0], `${name}: ${text.match(new RegExp(`.{0,80}${pattern.source}.{0,80}`))?.[0]}`).toBeUndefined();
    }
  });

  it("match their unfolded stacks except where folding changed them", () => {
    // Folding is idempotent: folding the written stack again changes nothing.
    for (const [, tf] of stacks) expect(foldTerraform(tf).terraform).toEqual(tf);
  });

  it("hold only strings the folder reads, in every environment (shipped and test-only)", () => {
    for (const stack of rootStacks(testApp(), [...SHIPPED, ...TEST_ONLY])) {
      expect(foldTerraform(unfoldedTerraform(stack)).unparsed, stack.node.id).toEqual([]);
    }
  });

  it("fold as if each were folded alone, whatever was folded before (folds are reused across stacks)", () => {
    // GIVEN every environment's unfolded stack, folded alone with nothing reused
    const unfolded = rootStacks(Testing.app(), [...SHIPPED, ...TEST_ONLY]).map((stack) => [stack.node.id, unfoldedTerraform(stack)] as const);
    const alone = new Map(unfolded.map(([name, tf]) => [name, JSON.stringify(foldTerraform(tf, { reuse: false }))]));
    // WHEN they are folded one after another, forwards and backwards, reusing folds of the ones before
    for (const [name, tf] of [...unfolded, ...[...unfolded].reverse()]) {
      // THEN each is what it is alone
      expect(JSON.stringify(foldTerraform(tf)), name).toBe(alone.get(name));
    }
  });

  it("fold in milliseconds (the main job synthesizes every environment each run)", () => {
    const unfolded = rootStacks(testApp(), SHIPPED).map(unfoldedTerraform);
    const started = performance.now();
    for (let i = 0; i < 10; i++) for (const tf of unfolded) foldTerraform(tf);
    // 20 folds; a generous bound for a loaded 2-core machine (one fold takes a few milliseconds): it catches a
    // folder that re-parses or re-folds without end, not a slow machine.
    expect((performance.now() - started) / 20).toBeLessThan(200);
  });
});

/** A resource or data source block with its metadata, as cdktf writes them. */
const element = (body: Record<string, unknown>) => ({ "//": { metadata: { path: "stack/x" } }, ...body });

describe("foldTerraform", () => {
  it("removes a resource with count 0, and the data source and local only it used", () => {
    // GIVEN a resource whose count folds to 0, using a data source and a local nothing else uses
    const tf = foldTerraform({
      data: { aws_partition: { only_role: element({}), shared: element({}) } },
      locals: { role_name: '${format("%s-role", data.aws_partition.only_role.partition)}' },
      resource: {
        aws_iam_role: { optional: element({ count: '${"node_role" == "pod_identity" ? 1 : 0}', name: "${local.role_name}" }) },
        aws_sqs_queue: { kept: element({ name: "${data.aws_partition.shared.partition}" }) },
      },
    }).terraform;
    // THEN all three go, and what others use stays
    expect(tf).toEqual({
      data: { aws_partition: { shared: element({}) } },
      resource: { aws_sqs_queue: { kept: element({ name: "${data.aws_partition.shared.partition}" }) } },
    });
  });

  it("removes a resource whose for_each folds to an empty collection", () => {
    const tf = foldTerraform({
      locals: { blocks: "${{ for r in [] : r.id => r }}" },
      resource: { aws_ec2_subnet_cidr_reservation: { this: element({ for_each: "${local.blocks}", cidr_block: "${each.value.cidr}" }) } },
    }).terraform;
    expect(tf).toEqual({});
  });

  it("keeps a resource with no instances that something still depends on: a reference never breaks", () => {
    const tf = foldTerraform({
      resource: {
        aws_autoscaling_group: { g: element({ depends_on: ["aws_iam_role.r"] }) },
        aws_iam_role: { r: element({ count: "${false ? 1 : 0}" }) },
      },
    }).terraform as Synth;
    expect(tf.resource.aws_iam_role.r.count).toBe(0);
  });

  it("knows a reference to a resource with no instances is empty, and removes what only used it", () => {
    // GIVEN a queue with count 0, rules with an empty for_each, targets for each rule, and outputs of the queue
    const tf = foldTerraform({
      output: {
        queue_url: { value: "${one(aws_sqs_queue.q[*].url)}" },
        queues: { value: "${length(aws_sqs_queue.q)}" },
      },
      resource: {
        aws_sqs_queue: { q: element({ count: "${false ? 1 : 0}" }) },
        aws_cloudwatch_event_rule: { r: element({ for_each: '${false ? { a = "x" } : {}}' }) },
        aws_cloudwatch_event_target: { t: element({ for_each: "${aws_cloudwatch_event_rule.r}", arn: "${one(aws_sqs_queue.q[*]).arn}", rule: "${each.value.name}" }) },
      },
    }).terraform as Synth;
    // THEN the outputs are known, and the queue, the rules and the targets go
    expect(tf).toEqual({ output: { queue_url: { value: null }, queues: { value: 0 } } });
  });

  it("writes a count that folds to a number as that number (the instances keep their addresses)", () => {
    const tf = foldTerraform({ resource: { aws_sqs_queue: { q: element({ count: "${true ? 1 : 0}" }) } } }).terraform as Synth;
    expect(tf.resource.aws_sqs_queue.q.count).toBe(1);
  });

  it("writes in locals known at synthesis and removes them; keeps a local nothing used before", () => {
    const tf = foldTerraform({
      locals: { family: '${"AL2"}', unused: "${var.x}", sizes: '${local.family == "BOTTLEROCKET" ? tomap({ a = 1 }) : tomap({ b = 2 })}' },
      output: { sizes: { value: "${local.sizes}" } },
    }).terraform as Synth;
    expect(tf.locals).toEqual({ unused: "${var.x}", sizes: "${tomap({ b = 2 })}" });
  });

  it("reads a local holding a known tuple or object where its use folds to a literal or through a for, and keeps the reference elsewhere", () => {
    const tf = foldTerraform({
      locals: {
        // A tuple in JSON form (lines of a script) and objects in expression form.
        lines: ["#!/bin/bash", 'echo ${"hi"}'],
        env: '${{ A = "1", B = null }}',
        script: '${join("\\n", local.lines)}',
        set: "${{ for name, value in local.env : name => value if value != null }}",
        tags: '${{ team = "sre" }}',
        pending: ["${var.x}", "b"],
      },
      output: {
        script: { value: "${local.script}" },
        set: { value: "${local.set}" },
        first: { value: "${local.env.A}" },
        tags: { value: '${merge(local.tags, { Name = "x" })}' },
        pending: { value: '${join(" ", local.pending)}' },
      },
    }).terraform as Synth;
    // The script's lines join into text, written where it is used; the object a for filters stays a local (known,
    // not a literal); a merge with more keeps the tags' reference; a tuple with an unknown element stays as it is.
    expect(tf.output).toEqual({
      script: { value: "#!/bin/bash\necho hi" },
      set: { value: "${local.set}" },
      first: { value: "1" },
      tags: { value: '${merge(local.tags, { Name = "x" })}' },
      pending: { value: '${join(" ", local.pending)}' },
    });
    expect(tf.locals).toEqual({ set: '${{ "A" = "1" }}', tags: '${{ team = "sre" }}', pending: ["${var.x}", "b"] });
  });

  it("removes dynamic blocks over nothing, conditions that are always true, and the blocks they leave empty", () => {
    const tf = foldTerraform({
      resource: {
        aws_eks_addon: {
          a: element({
            dynamic: { pod_identity_association: { for_each: '${"node_role" == "pod_identity" ? { x = "y" } : {}}', iterator: "each", content: { role_arn: "${each.value}" } } },
            lifecycle: { precondition: [{ condition: "${!true || var.v > 1}", error_message: "m" }, { condition: "${null == null || var.v > 2}", error_message: "gone" }] },
          }),
          b: element({ lifecycle: { precondition: [{ condition: "${true}", error_message: "always" }] } }),
        },
      },
    }).terraform as Synth;
    expect(tf.resource.aws_eks_addon.a).toEqual(element({ lifecycle: { precondition: [{ condition: "${var.v > 1}", error_message: "m" }] } }));
    expect(tf.resource.aws_eks_addon.b).toEqual(element({}));
  });

  it("keeps a condition whose folded form would refer to nothing (Terraform refuses such a condition)", () => {
    // GIVEN conditions that fold to `false` and to a comparison of constants (jsonencode is not folded)
    const conditions = ['${false ? true : { cpu = "1" } == null}', '${local.family == "AL2" ? jsonencode({ a = 1 }) == "{}" : true}'];
    const tf = foldTerraform({
      locals: { family: '${"AL2"}' },
      resource: { aws_launch_template: { t: element({ lifecycle: { precondition: conditions.map((condition) => ({ condition, error_message: "m" })) } }) } },
    }).terraform as Synth;
    // THEN both stay as written (and the local they use with them)
    expect(tf.resource.aws_launch_template.t.lifecycle.precondition.map((p: { condition: string }) => p.condition)).toEqual(conditions);
    expect(tf.locals).toEqual({ family: "AL2" });
  });

  it("writes what becomes text with escapes, so configuration stays data", () => {
    const tf = foldTerraform({
      resource: { aws_iam_role: { r: element({ description: '${format("%s of %s", "$${file(\\"/etc/hostname\\")} %%{ if true }", var.name)}' }) } },
    }).terraform as Synth;
    expect(tf.resource.aws_iam_role.r.description).toBe('$${file("/etc/hostname")} %%{ if true } of ${var.name}');
  });

  it("leaves a string it cannot read as it is, and what it refers to in place", () => {
    const heredoc = "${<<EOT\n${local.greeting}\nEOT\n}";
    const result = foldTerraform({ locals: { greeting: "${var.greeting}" }, output: { text: { value: heredoc } } });
    expect(result.unparsed).toEqual([heredoc]);
    expect(result.terraform).toEqual({ locals: { greeting: "${var.greeting}" }, output: { text: { value: heredoc } } });
  });
});
