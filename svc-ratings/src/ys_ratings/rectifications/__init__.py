"""差评整改: every 差评 is called back, classified, rectified, fed back and its fix rated."""
