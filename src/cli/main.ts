process.stdout.write('bedrock-docs: not built yet\n');
