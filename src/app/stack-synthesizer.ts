/**
 * Writes a stack's Terraform JSON as cdktf's own stack synthesizer does
 * (cdktf/lib/synthesize/synthesizer.js, cdktf 0.21.0), in the same steps and
 * order (aspects, the Terraform version check for moved resources,
 * validations, custom synthesis, annotations into the manifest, then the
 * file, stable-stringified with json-stable-stringify as cdktf does), with
 * one difference: a stack file whose content would not change is not written
 * again. Synthesizing many environments whose stacks did not change then
 * rewrites none of their files (each rewrite is a truncate and a write), and
 * their modification times say when they last changed. A session may ask to
 * be told of each file before it is written, with what it held
 * ({@link StackFileSession}: synthesizeRootStacks puts them back should a
 * later stack fail). HCL output (SYNTH_HCL_OUTPUT) is left to cdktf's
 * synthesizer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import stringify from "json-stable-stringify";
import { AnnotationMetadataEntryType, type ISynthesisSession, type StackAnnotation, type TerraformStack } from "cdktf";
import { encounteredAnnotationWithLevelError } from "cdktf/lib/errors.js";
import { invokeAspects, StackSynthesizer } from "cdktf/lib/synthesize/synthesizer.js";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version.js";
import { ConstructOrder, type IConstruct, type MetadataEntry } from "constructs";

/** Where cdktf keeps a construct's custom synthesis (cdktf's addCustomSynthesis). */
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");
const ANNOTATION_TYPES: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

/**
 * A synthesis session that is told of each stack file just before it is written, with what the file held
 * (undefined: there was none), e.g. to put it back should a later stack fail.
 */
export interface StackFileSession extends ISynthesisSession {
  readonly beforeStackFileWrite?: (path: string, previous: Buffer | undefined) => void;
}

/** Fields of cdktf's StackSynthesizer this one reads (its constructor's arguments). */
interface CdktfSynthesizerFields {
  readonly stack: TerraformStack;
  readonly continueOnErrorAnnotations: boolean;
  readonly hclOutput: boolean;
}

/** cdktf's stack synthesizer, writing a stack's file only where its content changes (see the file's comment). */
export class WriteIfChangedSynthesizer extends StackSynthesizer {
  /** One for `stack`, with the options cdktf gave the synthesizer it made for it (read from the environment). */
  static for(stack: TerraformStack): WriteIfChangedSynthesizer {
    const { continueOnErrorAnnotations, hclOutput } = stack.synthesizer as unknown as CdktfSynthesizerFields;
    return new WriteIfChangedSynthesizer(stack, continueOnErrorAnnotations, hclOutput);
  }

  override synthesize(session: ISynthesisSession): void {
    const { stack, continueOnErrorAnnotations, hclOutput } = this as unknown as CdktfSynthesizerFields;
    const beforeWrite = (session as StackFileSession).beforeStackFileWrite;
    if (hclOutput) {
      // cdktf writes the stack and its metadata, whatever they held.
      const { synthesizedStackPath, stackMetadataPath } = session.manifest.forStack(stack);
      for (const file of [synthesizedStackPath, stackMetadataPath]) beforeWrite?.(join(session.outdir, file), contentOf(join(session.outdir, file)));
      super.synthesize(session);
      return;
    }
    invokeAspects(stack);
    if (stack.hasResourceMove()) {
      stack.node.addValidation(
        new ValidateTerraformVersion(">=1.5", "Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version."),
      );
    }
    if (!session.skipValidation) stack.runAllValidations();
    const stackManifest = session.manifest.forStack(stack);
    const workingDirectory = join(session.outdir, stackManifest.workingDirectory);
    if (!existsSync(workingDirectory)) mkdirSync(workingDirectory);
    for (const node of stack.node.findAll(ConstructOrder.POSTORDER)) customSynthesis(node)?.onSynthesize(session);

    const annotations: StackAnnotation[] = stack.node.findAll().flatMap((node) =>
      node.node.metadata.filter(isAnnotation).map((metadata) => ({
        constructPath: node.node.path,
        level: metadata.type as AnnotationMetadataEntryType,
        message: metadata.data,
        stacktrace: metadata.trace,
      })),
    );
    // cdktf writes them into the manifest here (its field is read-only to everyone else).
    (stackManifest as { annotations: StackAnnotation[] }).annotations = annotations;
    const errors = annotations.filter((annotation) => annotation.level === AnnotationMetadataEntryType.ERROR);
    if (!continueOnErrorAnnotations && errors.length > 0) {
      throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
    }

    const file = join(session.outdir, stackManifest.synthesizedStackPath);
    const content = Buffer.from(stringify(stack.toTerraform(), { space: 2 }) as string);
    const previous = contentOf(file);
    if (previous?.equals(content)) return;
    beforeWrite?.(file, previous);
    writeFileSync(file, content);
  }
}

function isAnnotation(metadata: MetadataEntry): boolean {
  return ANNOTATION_TYPES.includes(metadata.type);
}

function customSynthesis(node: IConstruct): { onSynthesize(session: ISynthesisSession): void } | undefined {
  return (node as unknown as Record<symbol, { onSynthesize(session: ISynthesisSession): void } | undefined>)[CUSTOM_SYNTHESIS];
}

/** What `file` holds, or undefined when there is no such file. */
function contentOf(file: string): Buffer | undefined {
  return existsSync(file) ? readFileSync(file) : undefined;
}
