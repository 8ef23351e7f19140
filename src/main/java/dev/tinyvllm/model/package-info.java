/**
 * Hugging Face Qwen2 model folders: {@link dev.tinyvllm.model.Qwen2Config} (config.json),
 * {@link dev.tinyvllm.model.Checkpoint} and {@link dev.tinyvllm.model.SafetensorsFile} (weights, one or
 * several memory-mapped safetensors files), {@link dev.tinyvllm.model.SafetensorsWriter},
 * {@link dev.tinyvllm.model.RandomQwen2Model} (a complete random model folder for tests and benchmarks),
 * {@link dev.tinyvllm.model.Qwen2Tokenizer} (byte-level BPE through the Hugging Face tokenizers library)
 * and {@link dev.tinyvllm.model.ChatTemplate} (ChatML). Shared by the engine and the course's oracles.
 */
package dev.tinyvllm.model;
